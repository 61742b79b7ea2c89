using RevOps.Domain.Errors;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.TenantCopy;

/// <summary>The expected ways a tenant import fails.</summary>
public static class TenantImportErrors
{
    public const string TenantExistsCode = "TENANT_EXISTS";
    public const string SchemaMismatchCode = "SCHEMA_MISMATCH";

    public static CrmError TenantExists(TenantId tenant) =>
        new(TenantExistsCode, $"tenant {tenant} already exists in the target database; nothing was written. Pass --replace to overwrite it there with the source's copy.");

    public static CrmError UnknownColumn(string table, string column) =>
        new(SchemaMismatchCode, $"column {table}.{column} of the source is not in the target's schema; nothing was written. Run the same revops version's `revops migrate` on both databases first.");
}
