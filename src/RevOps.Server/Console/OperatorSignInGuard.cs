using System.Collections.Concurrent;
using System.Net;

namespace RevOps.Server.Console;

/// <summary>
/// Backoff on the operator's sign-in, per client address: after <see cref="FreeFailures"/> wrong tokens in a row, sign-in is
/// refused (even with the right token) for <see cref="FirstLockout"/>, doubling with each further wrong token up to
/// <see cref="MaxLockout"/>; a success clears the count. Kept in this process: each node counts on its own, so a guesser
/// spread over N nodes gets N times the tries, against a 40-character random token.
/// </summary>
public sealed class OperatorSignInGuard(TimeProvider time)
{
    public const int FreeFailures = 5;
    public static readonly TimeSpan FirstLockout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxLockout = TimeSpan.FromMinutes(15);
    const int MaxTracked = 10_000;

    sealed record Failures(int Count, DateTimeOffset LockedUntil);

    readonly ConcurrentDictionary<IPAddress, Failures> _byClient = new();

    /// <summary>How long the client must still wait; null when it may try.</summary>
    public TimeSpan? LockedFor(IPAddress? client)
    {
        if (!_byClient.TryGetValue(Key(client), out var failures)) return null;
        var left = failures.LockedUntil - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }

    public void Failed(IPAddress? client)
    {
        if (_byClient.Count >= MaxTracked) _byClient.Clear(); // a flood of addresses: start over rather than grow without bound
        _byClient.AddOrUpdate(Key(client), _ => Next(0), (_, before) => Next(before.Count));
    }

    public void Succeeded(IPAddress? client) => _byClient.TryRemove(Key(client), out _);

    Failures Next(int before)
    {
        int count = before + 1;
        if (count < FreeFailures) return new Failures(count, DateTimeOffset.MinValue);
        var lockout = TimeSpan.FromTicks(Math.Min(MaxLockout.Ticks, FirstLockout.Ticks << Math.Min(count - FreeFailures, 20)));
        return new Failures(count, time.GetUtcNow() + lockout);
    }

    static IPAddress Key(IPAddress? client) => client ?? IPAddress.None;
}
