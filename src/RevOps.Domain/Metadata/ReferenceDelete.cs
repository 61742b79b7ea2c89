namespace RevOps.Domain.Metadata;

/// <summary>What deleting a record does to the records whose custom reference points to it.</summary>
public enum ReferenceDelete
{
    /// <summary>Lookup (default): the reference is emptied, with a change-log entry on the child.</summary>
    Clear,
    /// <summary>Lookup: the delete is refused while a live record points here.</summary>
    Restrict,
    /// <summary>Master-Detail: the children go to the recycle bin with the master and come back with it.</summary>
    Cascade,
}
