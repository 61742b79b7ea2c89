using RevOps.Domain.Errors;
using RevOps.Domain.Writes;

namespace RevOps.Server.Mcp.Framework;

/// <summary>The optional arguments every write tool takes: idempotency_key, dry_run and (creates of people) on_duplicate.</summary>
public static class WriteArguments
{
    public const string IdempotencyKey = "idempotency_key";
    public const string DryRun = "dry_run";
    public const string OnDuplicate = "on_duplicate";
    public static readonly string[] Names = [IdempotencyKey, DryRun, OnDuplicate];

    public static ToolSchema WriteOptions(this ToolSchema schema, bool duplicates)
    {
        schema.Param(IdempotencyKey, "string", "Retry key (e.g. a UUID), kept 24 h.")
              .Param(DryRun, "boolean", "Validate and preview; write nothing.");
        if (duplicates)
            schema.Param(OnDuplicate, "string", "Default: the org's rules (report).", allowed: ["report", "skip", "block"]);
        return schema;
    }

    public static CrmResult<DuplicatePolicy?> ReadPolicy(string? text) => Domain.Writes.WriteOptions.ParsePolicy(text, OnDuplicate);

    public static CrmResult<WriteOptions> Read(ToolArguments args)
    {
        var key = args.String(IdempotencyKey);
        if (!key.IsOk) return key.Error;
        var dryRun = args.Bool(DryRun);
        if (!dryRun.IsOk) return dryRun.Error;
        var onDuplicate = args.String(OnDuplicate);
        if (!onDuplicate.IsOk) return onDuplicate.Error;
        var policy = ReadPolicy(onDuplicate.Value);
        if (!policy.IsOk) return policy.Error;
        // Unset, the org's rules decide; an agent's answer lists the possible duplicates of its reporting rules too.
        return new WriteOptions(key.Value, dryRun.Value, policy.Value) { ReportDuplicates = true };
    }
}
