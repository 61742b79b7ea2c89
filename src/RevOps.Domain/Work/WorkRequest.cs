namespace RevOps.Domain.Work;

/// <summary>A new work item as MCP, REST, the CLI or an automation rule sends it, before validation.</summary>
/// <param name="Priority">low, normal (the default) or high.</param>
/// <param name="Due">An ISO 8601 date (2026-12-24, midnight UTC) or date and time.</param>
public sealed record WorkRequest(string? Queue, string? Prompt, string? RecordId = null, string? Type = null, string? Priority = null, string? Due = null);
