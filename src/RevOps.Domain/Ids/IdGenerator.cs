namespace RevOps.Domain.Ids;

/// <summary>
/// Makes new 18-character record ids: key prefix + 12 base62 characters + checksum suffix.
/// The 12 characters hold 71 bits: milliseconds since 2024-01-01 (41 bits, ~69 years), a
/// per-millisecond sequence (10 bits) and a node id (20 bits). Ids from one node are strictly
/// increasing, which keeps inserts at the right edge of the index; ids from different nodes
/// differ in the node bits, so no coordination is needed as long as node ids differ
/// (configured, or drawn at random: 1 in a million per pair of nodes).
/// </summary>
public sealed class IdGenerator
{
    const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    const int SequenceBits = 10;
    const int NodeBits = 20;

    readonly Lock _lock = new();
    readonly TimeProvider _time;
    readonly UInt128 _node;
    long _lastMillis = -1;
    long _sequence;

    public IdGenerator(int nodeId, TimeProvider? time = null)
    {
        if (nodeId < 0 || nodeId >= 1 << NodeBits)
            throw new ArgumentOutOfRangeException(nameof(nodeId), $"Node id must be in 0..{(1 << NodeBits) - 1}.");
        _node = (UInt128)(uint)nodeId;
        _time = time ?? TimeProvider.System;
    }

    public static IdGenerator WithRandomNode() => new(Random.Shared.Next(1 << NodeBits));

    public int NodeId => (int)_node;

    public string NewId(string keyPrefix)
    {
        if (keyPrefix.Length != 3) throw new ArgumentException("Key prefixes have 3 characters.", nameof(keyPrefix));
        long millis, sequence;
        lock (_lock)
        {
            millis = Math.Max((_time.GetUtcNow() - Epoch).Ticks / TimeSpan.TicksPerMillisecond, _lastMillis);
            if (millis == _lastMillis)
            {
                _sequence++;
                if (_sequence >= 1 << SequenceBits)
                {
                    // More than 1024 ids in one millisecond: borrow the next millisecond.
                    millis++;
                    _sequence = 0;
                }
            }
            else _sequence = 0;
            _lastMillis = millis;
            sequence = _sequence;
        }

        UInt128 value = ((UInt128)(ulong)millis << (SequenceBits + NodeBits)) | ((UInt128)(ulong)sequence << NodeBits) | _node;
        Span<char> id = stackalloc char[15];
        keyPrefix.CopyTo(id);
        for (int i = 14; i >= 3; i--)
        {
            id[i] = Base62[(int)(value % 62)];
            value /= 62;
        }
        return SalesforceId.To18(id);
    }
}
