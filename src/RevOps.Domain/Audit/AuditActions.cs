namespace RevOps.Domain.Audit;

/// <summary>The audited actions, named object.verb so a filter on a prefix ("key.") finds a family.</summary>
public static class AuditActions
{
    public const string TenantCreate = "tenant.create";
    public const string KeyCreate = "key.create";
    public const string KeyRevoke = "key.revoke";
    public const string FieldDefine = "field.define";
    public const string FieldDelete = "field.delete";
    public const string ObjectDefine = "object.define";
    public const string UserCreate = "user.create";
    public const string UserActivate = "user.activate";
    public const string UserDeactivate = "user.deactivate";
    public const string UserSetPassword = "user.set_password";
    public const string IntegrationSet = "integration.set";
}
