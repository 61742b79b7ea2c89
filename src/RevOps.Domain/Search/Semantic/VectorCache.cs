using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Search.Semantic;

/// <summary>
/// Tenants' vectors held in memory, each loaded at its first search and then refreshed with only the
/// entries written since (one indexed read per search). Bounded by <paramref name="maxBytes"/>: past it, the
/// tenants searched least recently are dropped and load again when next searched.
/// </summary>
public sealed class VectorCache(IVectorStore store, int dimensions, long maxBytes)
{
    sealed class Slot
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public TenantVectors? Vectors;
        public long LastUsed;
    }

    readonly System.Collections.Concurrent.ConcurrentDictionary<TenantId, Slot> _tenants = new();

    /// <summary>Runs <paramref name="use"/> over the tenant's vectors, brought up to date first; null when the tenant's index is not built.</summary>
    public async Task<T?> UseAsync<T>(TenantId tenant, Func<TenantVectors, T> use, CancellationToken ct) where T : class
    {
        var slot = _tenants.GetOrAdd(tenant, _ => new Slot());
        await slot.Gate.WaitAsync(ct);
        try
        {
            slot.LastUsed = Environment.TickCount64;
            var vectors = slot.Vectors;
            var (state, entries) = await store.ReadAsync(tenant, vectors?.Version ?? 0, ct);
            if (vectors is null || vectors.Generation != state.Generation)
            {
                if (vectors is not null) (state, entries) = await store.ReadAsync(tenant, 0, ct);
                vectors = new TenantVectors(dimensions) { Generation = state.Generation };
            }
            foreach (var entry in entries) vectors.Apply(entry);
            vectors.Version = state.Version;
            slot.Vectors = vectors;
            if (!state.Built) return null;
            return use(vectors);
        }
        finally
        {
            slot.Gate.Release();
            Trim(tenant);
        }
    }

    /// <summary>Bytes held, for the memory budget (docs/search.md).</summary>
    public long Bytes => _tenants.Values.Sum(s => s.Vectors?.Bytes ?? 0);

    void Trim(TenantId keep)
    {
        if (Bytes <= maxBytes) return;
        foreach (var (tenant, slot) in _tenants.OrderBy(t => t.Value.LastUsed))
        {
            if (tenant.Equals(keep) || Bytes <= maxBytes) continue;
            if (!slot.Gate.Wait(0)) continue;
            try
            {
                slot.Vectors = null;
            }
            finally
            {
                slot.Gate.Release();
            }
        }
    }
}
