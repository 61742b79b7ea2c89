namespace RevOps.Domain.BulkJobs;

/// <summary>One CSV record: its number (1 = the first after the header), its cells, and why it is malformed (null when it is not).</summary>
public sealed record BulkCsvRow(long Number, string[] Cells, string? Error);
