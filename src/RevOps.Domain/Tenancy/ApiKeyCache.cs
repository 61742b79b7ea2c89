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

    public ApiKey? Find(string hash) => Live(hash)?.Key;

    /// <summary>The live entry for a hash given as characters, found without making a string of them.</summary>
    public Entry? Find(ReadOnlySpan<char> hash) =>
        _entries.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(hash, out var entry) && time.GetTimestamp() < entry.ExpiresAt ? entry : null;

    Entry? Live(string hash) => _entries.TryGetValue(hash, out var entry) && time.GetTimestamp() < entry.ExpiresAt ? entry : null;

    public Entry Add(ApiKey key)
    {
        // A flood of distinct valid keys is unlikely; if it happens, start over rather than grow without bound.
        if (_entries.Count >= MaxEntries) _entries.Clear();
        long expiresAt = time.GetTimestamp() + (long)(Lifetime.TotalSeconds * time.TimestampFrequency);
        var entry = new Entry(key, expiresAt);
        _entries[key.Hash] = entry;
        return entry;
    }

    public void Remove(string hash) => _entries.TryRemove(hash, out _);

    /// <summary>A cached key and, made once from it, the caller it stands for on the channel last asked (callers are immutable, so requests share one).</summary>
    public sealed class Entry(ApiKey key, long expiresAt)
    {
        public ApiKey Key { get; } = key;
        public long ExpiresAt { get; } = expiresAt;
        Caller? _caller;

        public Caller CallerOn(string channel)
        {
            var caller = _caller;
            if (caller is not null && caller.Channel == channel) return caller;
            caller = new Caller(Key.Tenant, Key.UserId ?? Key.Id, Key.Scopes, channel) { ActorName = Key.UserName, KeyId = Key.Id };
            _caller = caller;
            return caller;
        }
    }
}
