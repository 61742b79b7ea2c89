namespace RevOps.Domain.Records;

/// <summary>
/// Records found. TotalSize counts every match; NextOffset is where the next page starts
/// when more matched than the limit let through.
/// </summary>
public sealed record RecordPage(IReadOnlyList<Record> Records, long TotalSize, int? NextOffset)
{
    public bool HasMore => NextOffset is not null;
}
