namespace RevOps.Domain.Records;

/// <summary>Records found, and whether more matched than the limit let through.</summary>
public sealed record RecordPage(IReadOnlyList<Record> Records, bool HasMore);
