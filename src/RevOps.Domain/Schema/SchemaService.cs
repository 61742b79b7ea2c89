using System.Collections.Concurrent;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Schema;

/// <summary>
/// Each tenant's schema (standard objects plus its custom fields), cached per tenant. A define
/// on this node is visible at once, on other nodes as soon as they hear of it (<see cref="Changed"/>,
/// carried by Redis with --redis), and one nobody announces (the CLI, Redis down) within <see cref="RefreshAfter"/>.
/// </summary>
public sealed class SchemaService(ICustomFieldStore store, TimeProvider time, ICustomObjectStore objects)
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(5);

    readonly ConcurrentDictionary<TenantId, (TenantSchema Schema, long LoadedAt)> _cache = new();
    static readonly KeyValuePair<string, object?> Hit = new("result", "hit");
    static readonly KeyValuePair<string, object?> Miss = new("result", "miss");

    public async ValueTask<TenantSchema> GetAsync(TenantId tenant, CancellationToken ct)
    {
        long now = time.GetTimestamp();
        if (_cache.TryGetValue(tenant, out var cached) && time.GetElapsedTime(cached.LoadedAt, now) < RefreshAfter)
        {
            Telemetry.RevOpsMeters.SchemaCacheLookups.Add(1, Hit);
            return cached.Schema;
        }
        Telemetry.RevOpsMeters.SchemaCacheLookups.Add(1, Miss);
        var schema = new TenantSchema(await store.ListAsync(tenant, ct), await objects.ListAsync(tenant, ct));
        _cache[tenant] = (schema, now);
        return schema;
    }

    public async ValueTask<ObjectSchema> GetAsync(TenantId tenant, ObjectMetadata obj, CancellationToken ct) =>
        (await GetAsync(tenant, ct)).For(obj);

    /// <summary>
    /// The object's schema for a write naming <paramref name="fieldNames"/>: read again first when one is a
    /// custom field the cached copy lacks (defined a moment ago on another node or from the CLI), so a write
    /// is never refused because this node's cache is behind. Costs a read only on that path.
    /// </summary>
    public async ValueTask<ObjectSchema> GetForWriteAsync(TenantId tenant, ObjectMetadata obj, IEnumerable<string> fieldNames, CancellationToken ct)
    {
        var schema = await GetAsync(tenant, obj, ct);
        foreach (string name in fieldNames)
        {
            if (!name.EndsWith("__c", StringComparison.OrdinalIgnoreCase) || schema.TryGetField(name, out _)) continue;
            _cache.TryRemove(tenant, out _);
            return await GetAsync(tenant, obj, ct);
        }
        return schema;
    }

    public async Task<CrmResult<CustomFieldDefinition>> DefineAsync(Caller caller, CustomFieldSpec spec, CancellationToken ct)
    {
        if (!caller.Scopes.HasFlag(Scopes.Admin))
            return new CrmError(ErrorCodes.InsufficientAccess, "Defining fields changes the org's schema and needs an API key with the admin scope.");
        Forget(caller.Tenant);
        var tenantSchema = await GetAsync(caller.Tenant, ct);
        if (!tenantSchema.TryGetObject(spec.Object?.Trim() ?? "", out var obj))
            return new CrmError(ErrorCodes.InvalidArgument,
                $"object '{spec.Object}' is not an object. Send one of: {string.Join(", ", tenantSchema.Objects.Select(o => o.Name))}, or define a custom object first (define_object).", "object");

        var built = CustomFieldBuilder.Build(obj, spec);
        if (!built.IsOk) return built.Error;

        if (built.Value.Type == FieldType.Reference)
        {
            var checkedReference = CustomReferences.Check(tenantSchema, obj, built.Value);
            if (!checkedReference.IsOk) return checkedReference.Error;
            built = checkedReference.Value;
        }
        var current = await store.ListAsync(caller.Tenant, ct);
        var existing = current.FirstOrDefault(d => d.Object == obj.Name && string.Equals(d.Field.Name, built.Value.Name, StringComparison.OrdinalIgnoreCase));
        var now = time.GetUtcNow().UtcDateTime;
        var field = built.Value;
        if (existing is not null)
        {
            if (CustomFieldBuilder.Incompatibility(existing.Field, field) is { } reason)
                return new CrmError(ErrorCodes.InvalidArgument, $"{obj.Name}.{existing.Field.Name} cannot be redefined: {reason}", "type");
            field = field with { Name = existing.Field.Name }; // The first spelling stays: stored JSON uses it.
            if (field.Unique && !existing.Field.Unique && await store.FindDuplicateValueAsync(caller.Tenant, obj, field, ct) is { } shared)
                return new CrmError(ErrorCodes.InvalidArgument,
                    $"{obj.Name}.{field.Name} cannot become unique: several records hold the value '{shared}'. Make those values distinct first (find_records where {field.Name} = that value).", "unique");
        }
        else if (current.Count(d => d.Object == obj.Name) >= MaxCustomFieldsPerObject)
        {
            return new CrmError(ErrorCodes.InvalidArgument, $"{obj.Name} already has {MaxCustomFieldsPerObject} custom fields, the most an object can have.", "api_name");
        }

        var definition = new CustomFieldDefinition(obj.Name, field, existing?.CreatedAt ?? now, now);
        var audit = Audit.AuditSource.Of(caller).Entry(caller.Tenant, now, Audit.AuditActions.FieldDefine, $"{obj.Name}.{field.Name}",
            Audit.AuditDetails.Of(("type", CustomFieldTypes.NameOf(field.Type)), ("label", field.Label), ("required", field.Required),
                ("unique", field.Unique), ("external_id", field.ExternalId), ("redefined", existing is not null)));
        await store.SaveAsync(caller.Tenant, definition, audit, ct);
        _cache.TryRemove(caller.Tenant, out _);
        Changed?.Invoke(caller.Tenant);
        return definition;
    }

    /// <summary>
    /// Deletes a custom field the caller has checked nothing uses (<see cref="CustomFieldRemoval"/>): audited with how many
    /// records held a value, its values gone from every record, and out of describe and tools at once. The number of records
    /// that held a value, or null when the field was already gone.
    /// </summary>
    internal async Task<int?> RemoveAsync(Caller caller, ObjectMetadata obj, FieldMetadata field, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        int recordsCleared = 0;
        bool deleted = await store.DeleteAsync(caller.Tenant, obj, field, cleared =>
        {
            recordsCleared = cleared;
            return Audit.AuditSource.Of(caller).Entry(caller.Tenant, now, Audit.AuditActions.FieldDelete,
                $"{obj.Name}.{field.Name}", Audit.AuditDetails.Of(("type", CustomFieldTypes.NameOf(field.Type)), ("label", field.Label), ("records_cleared", cleared)));
        }, ct);
        Forget(caller.Tenant);
        if (!deleted) return null;
        Changed?.Invoke(caller.Tenant);
        return recordsCleared;
    }

    /// <summary>Defines a custom object, or changes the labels of one already defined (its key prefix and numbering stay).</summary>
    public async Task<CrmResult<CustomObjectDefinition>> DefineObjectAsync(Caller caller, CustomObjectSpec spec, CancellationToken ct)
    {
        if (!caller.Scopes.HasFlag(Scopes.Admin))
            return new CrmError(ErrorCodes.InsufficientAccess, "Defining objects changes the org's schema and needs an API key with the admin scope.");
        var now = time.GetUtcNow().UtcDateTime;
        var built = CustomObjectBuilder.Build(spec, now);
        if (!built.IsOk) return built.Error;
        var current = await objects.ListAsync(caller.Tenant, ct);
        var existing = current.FirstOrDefault(o => string.Equals(o.Name, built.Value.Name, StringComparison.OrdinalIgnoreCase));
        var definition = built.Value;
        if (existing is not null)
        {
            if (!string.Equals(existing.AutoNumberFormat is null ? "Text" : "AutoNumber", definition.AutoNumberFormat is null ? "Text" : "AutoNumber", StringComparison.Ordinal))
                return new CrmError(ErrorCodes.InvalidArgument,
                    $"{existing.Name} names its records {(existing.AutoNumberFormat is null ? "by Text" : $"by AutoNumber ({existing.AutoNumberFormat})")}, and stored names cannot change kind. Keep name_field as it is.", "name_field");
            definition = definition with { Name = existing.Name, KeyPrefix = existing.KeyPrefix, CreatedAt = existing.CreatedAt };
        }
        else if (current.Count >= CustomObjectBuilder.MaxObjectsPerTenant)
        {
            return new CrmError(ErrorCodes.InvalidArgument,
                $"This org already has {CustomObjectBuilder.MaxObjectsPerTenant} custom objects, the most an org can have. Add fields to an existing object instead.", "object");
        }
        var audit = Audit.AuditSource.Of(caller).Entry(caller.Tenant, now, Audit.AuditActions.ObjectDefine, definition.Name,
            Audit.AuditDetails.Of(("label", definition.Label), ("plural_label", definition.PluralLabel), ("name_field", definition.AutoNumberFormat ?? "Text"),
                ("redefined", existing is not null)));
        var saved = await objects.SaveAsync(caller.Tenant, definition, audit, ct);
        Forget(caller.Tenant);
        Changed?.Invoke(caller.Tenant);
        return saved;
    }

    /// <summary>The next auto-number name of a record of <paramref name="obj"/> (INV-0001, INV-0002, …), unique under concurrency.</summary>
    public async Task<string> NextAutoNameAsync(TenantId tenant, ObjectMetadata obj, CancellationToken ct) =>
        CustomObjectBuilder.AutoNumber(obj.AutoNumberFormat!, await objects.NextNumberAsync(tenant, obj.Name, ct));

    /// <summary>Raised after a field definition through this process, for the other nodes' caches.</summary>
    public event Action<TenantId>? Changed;

    /// <summary>Drops a tenant's cached schema (changed on another node), so the next call reads it again.</summary>
    public void Forget(TenantId tenant) => _cache.TryRemove(tenant, out _);

    public const int MaxCustomFieldsPerObject = 500;
}
