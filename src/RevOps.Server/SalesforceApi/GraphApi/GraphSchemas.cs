using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using GraphQL.Types;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>
/// Generated schemas, cached by what they are generated from: a fingerprint of the tenant's
/// custom objects and fields. SchemaService already refreshes a tenant's schema when a field is defined (on this
/// node at once, on others through the cluster notice or within its refresh interval); the next
/// request then sees a new fingerprint and gets a schema with the field. Tenants with the same
/// fields share one schema, which holds no data (resolvers read the caller from the request).
/// </summary>
public sealed class GraphSchemas
{
    const int MaxCached = 256;

    readonly ConcurrentDictionary<string, Lazy<ISchema>> _byFingerprint = new(StringComparer.Ordinal);
    readonly ConditionalWeakTable<TenantSchema, string> _fingerprints = new();

    public ISchema For(TenantSchema schema)
    {
        string fingerprint = _fingerprints.GetValue(schema, static s => s.Fingerprint());
        if (_byFingerprint.Count >= MaxCached && !_byFingerprint.ContainsKey(fingerprint)) _byFingerprint.Clear();
        return _byFingerprint.GetOrAdd(fingerprint, _ => new Lazy<ISchema>(() => GraphSchemaBuilder.Build(schema))).Value;
    }
}
