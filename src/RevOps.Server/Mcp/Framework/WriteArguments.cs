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
        schema.Param(IdempotencyKey, "string", "Optional key you generate per intended write (e.g. a UUID). Retrying with the same key within 24 h returns the first result instead of writing twice.")
              .Param(DryRun, "boolean", "true: validate and show what would be written, without writing anything.");
        if (duplicates)
            schema.Param(OnDuplicate, "string", "What to do when a Contact or Lead with the same Email exists: allow (default; the result lists possibleDuplicates) or block (refuse).", allowed: ["allow", "block"]);
        return schema;
    }

    public static CrmResult<WriteOptions> Read(ToolArguments args)
    {
        var key = args.String(IdempotencyKey);
        if (!key.IsOk) return key.Error;
        var dryRun = args.Bool(DryRun);
        if (!dryRun.IsOk) return dryRun.Error;
        var onDuplicate = args.String(OnDuplicate);
        if (!onDuplicate.IsOk) return onDuplicate.Error;
        var policy = onDuplicate.Value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "allow" => DuplicatePolicy.Allow,
            "block" => DuplicatePolicy.Block,
            _ => (DuplicatePolicy?)null,
        };
        if (policy is null)
            return new CrmError(ErrorCodes.InvalidArgument, $"on_duplicate must be 'allow' or 'block'; got '{onDuplicate.Value}'.", OnDuplicate);
        return new WriteOptions(key.Value, dryRun.Value, policy.Value);
    }
}
