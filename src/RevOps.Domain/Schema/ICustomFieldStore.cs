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

    /// <summary>
    /// Deletes the definition and takes its values out of every record of the object (live and in the recycle bin), with the
    /// audit row <paramref name="audit"/> makes from the number of records that held a value, in one transaction. False when
    /// the tenant has no such field (deleted a moment ago by another caller).
    /// </summary>
    Task<bool> DeleteAsync(TenantId tenant, Metadata.ObjectMetadata obj, Metadata.FieldMetadata field, Func<int, Audit.AuditEntry> audit, CancellationToken ct);

    /// <summary>A value of the field that two or more live records share, or null when all are distinct.</summary>
    Task<string?> FindDuplicateValueAsync(TenantId tenant, Metadata.ObjectMetadata obj, Metadata.FieldMetadata field, CancellationToken ct);
}
