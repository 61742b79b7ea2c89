using System.Numerics.Tensors;

namespace RevOps.Domain.Search.Semantic;

/// <summary>
/// One tenant's vectors in memory, in one contiguous array so exact top-k is a run of SIMD dot products
/// (System.Numerics.Tensors): 384 floats = 1.5 KB a record, 150 MB for 100,000 records. Slots of deleted
/// records are reused. Not thread-safe: <see cref="VectorCache"/> guards it.
/// </summary>
public sealed class TenantVectors(int dimensions)
{
    float[] _vectors = new float[dimensions * 64];
    readonly List<RecordVector?> _entries = [];
    readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    readonly Stack<int> _free = new();

    public long Version { get; set; }
    public long Generation { get; set; }
    public int Count => _slots.Count;
    public long Bytes => (long)_vectors.Length * sizeof(float) + _entries.Count * 96L;

    public RecordVector? Find(string id) => _slots.TryGetValue(id, out int slot) ? _entries[slot] : null;

    public void Apply(RecordVector entry)
    {
        if (entry.Vector is null)
        {
            if (_slots.Remove(entry.Id, out int old))
            {
                _entries[old] = null;
                _free.Push(old);
            }
            return;
        }
        if (entry.Vector.Length != dimensions) return; // written by another model; the rebuild replaces it
        if (!_slots.TryGetValue(entry.Id, out int slot))
        {
            if (!_free.TryPop(out slot))
            {
                slot = _entries.Count;
                _entries.Add(null);
                if ((slot + 1) * dimensions > _vectors.Length) Array.Resize(ref _vectors, Math.Max(_vectors.Length * 2, (slot + 1) * dimensions));
            }
            _slots[entry.Id] = slot;
        }
        _entries[slot] = entry with { Vector = null };
        entry.Vector.CopyTo(_vectors.AsSpan(slot * dimensions, dimensions));
    }

    /// <summary>The <paramref name="k"/> entries most similar to <paramref name="query"/> among those <paramref name="admit"/> passes, best first.</summary>
    public IReadOnlyList<(RecordVector Entry, float Similarity)> Top(ReadOnlySpan<float> query, int k, Func<RecordVector, bool> admit)
    {
        var best = new PriorityQueue<int, float>(k + 1);
        for (int slot = 0; slot < _entries.Count; slot++)
        {
            if (_entries[slot] is not { } entry || !admit(entry)) continue;
            float similarity = TensorPrimitives.Dot(_vectors.AsSpan(slot * dimensions, dimensions), query);
            if (best.Count < k) best.Enqueue(slot, similarity);
            else if (best.TryPeek(out _, out float worst) && similarity > worst) best.EnqueueDequeue(slot, similarity);
        }
        var top = new (RecordVector, float)[best.Count];
        for (int i = top.Length - 1; i >= 0; i--)
        {
            best.TryDequeue(out int slot, out float similarity);
            top[i] = (_entries[slot]!, similarity);
        }
        return top;
    }
}
