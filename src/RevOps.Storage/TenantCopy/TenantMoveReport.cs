using RevOps.Domain.Tenancy;

namespace RevOps.Storage.TenantCopy;

/// <summary>
/// Rows per table of one moved tenant: as sent (the source's snapshot), as the target holds them
/// now, and as the source holds them now, which differs when the source was written during the move.
/// </summary>
public sealed record TenantMoveReport(
    TenantId Tenant,
    IReadOnlyDictionary<string, long> Sent,
    IReadOnlyDictionary<string, long> InTarget,
    IReadOnlyDictionary<string, long> InSourceNow)
{
    /// <summary>The target holds exactly the snapshot that was sent.</summary>
    public bool TargetMatches => TenantTables.All.All(table => Sent[table] == InTarget[table]);

    /// <summary>The source was written after its snapshot was taken: those writes are not in the target.</summary>
    public bool SourceChangedSince => TenantTables.All.Any(table => Sent[table] != InSourceNow[table]);
}
