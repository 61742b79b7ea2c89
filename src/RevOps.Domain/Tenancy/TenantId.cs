namespace RevOps.Domain.Tenancy;

/// <summary>A tenant's UUID. Only authentication makes one for a request; nothing reads it from a body.</summary>
public readonly record struct TenantId(Guid Value)
{
    public static bool TryParse(string? text, out TenantId tenant)
    {
        bool ok = Guid.TryParse(text, out var guid);
        tenant = new TenantId(guid);
        return ok;
    }

    public override string ToString() => Value.ToString("D");
}
