using System.Collections.Concurrent;

namespace RevOps.Domain.Tenancy;

/// <summary>
/// Keys recently found by hash, so a busy client costs one key lookup per <see cref="Lifetime"/>
/// instead of one per request. A revocation through this process drops the entry at once, other
/// nodes drop it when told (through Redis with --redis); one nobody announces (the CLI, Redis down)
/// is seen when the entry expires, within a second.
/// Unknown hashes are never cached, so random keys cannot fill it.
/// </summary>
public sealed class ApiKeyCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);
    const int MaxEntries = 100_000;

    readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public ApiKey? Find(string hash) =>
        _entries.TryGetValue(hash, out var entry) && time.GetTimestamp() < entry.ExpiresAt ? entry.Key : null;

    public void Add(ApiKey key)
    {
        // A flood of distinct valid keys is unlikely; if it happens, start over rather than grow without bound.
        if (_entries.Count >= MaxEntries) _entries.Clear();
        long expiresAt = time.GetTimestamp() + (long)(Lifetime.TotalSeconds * time.TimestampFrequency);
        _entries[key.Hash] = new Entry(key, expiresAt);
    }

    public void Remove(string hash) => _entries.TryRemove(hash, out _);

    readonly record struct Entry(ApiKey Key, long ExpiresAt);
}
