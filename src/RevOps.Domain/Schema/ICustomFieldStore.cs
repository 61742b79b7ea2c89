using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Schema;

/// <summary>The custom field definitions of each tenant.</summary>
public interface ICustomFieldStore
{
    Task<IReadOnlyList<CustomFieldDefinition>> ListAsync(TenantId tenant, CancellationToken ct);

    /// <summary>
    /// Creates or replaces the definition, with its audit row in the same transaction, and makes
    /// sure filters on the field are served by an index.
    /// </summary>
    Task SaveAsync(TenantId tenant, CustomFieldDefinition definition, Audit.AuditEntry audit, CancellationToken ct);

    /// <summary>A value of the field that two or more live records share, or null when all are distinct.</summary>
    Task<string?> FindDuplicateValueAsync(TenantId tenant, Metadata.ObjectMetadata obj, Metadata.FieldMetadata field, CancellationToken ct);
}
