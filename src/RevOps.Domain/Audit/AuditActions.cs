namespace RevOps.Domain.Audit;

/// <summary>The audited actions, named object.verb so a filter on a prefix ("key.") finds a family.</summary>
public static class AuditActions
{
    public const string TenantCreate = "tenant.create";
    public const string KeyCreate = "key.create";
    public const string KeyRevoke = "key.revoke";
    public const string FieldDefine = "field.define";
}
