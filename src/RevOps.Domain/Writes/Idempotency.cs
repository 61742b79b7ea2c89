using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Writes;

/// <summary>
/// Idempotency keys: the first write with a key records it in its own transaction; a later
/// request with the same key and the same content gets that write's record back, never a
/// second write. The same key with different content is refused.
/// </summary>
public readonly record struct Idempotency(string? Key, string Hash, DateTime Now, CrmResult<WriteOutcome>? Answer)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);
    public const int MaxKeyLength = 255;

    public static async Task<Idempotency> StartAsync(IRecordStore store, Caller caller, WriteOptions options, string operation,
        ObjectMetadata obj, string? id, RecordInput input, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (options.IdempotencyKey is not { } key || options.DryRun) return new(null, "", now, null);
        if (key.Length is 0 or > MaxKeyLength || key.Any(char.IsControl))
            return new(null, "", now, new CrmError(ErrorCodes.InvalidArgument, $"idempotency_key must be 1 to {MaxKeyLength} printable characters, e.g. a UUID you generate per intended write.", "idempotency_key"));
        string hash = RequestHash.Of(operation, obj.Name, id, input);
        var existing = await store.FindIdempotencyAsync(caller.Tenant, key, ct);
        if (existing is null || now - existing.CreatedAt > Window) return new(key, hash, now, null);
        return new(key, hash, now, await AnswerAsync(store, caller, existing, hash, obj, ct));
    }

    public IdempotencyEntry? Entry(ObjectMetadata obj, string recordId, string operation) =>
        Key is null ? null : new IdempotencyEntry(Key, Hash, obj.Name, recordId, operation, Now);

    /// <summary>A concurrent request with the same key committed first: answer with its record.</summary>
    public static async Task<CrmResult<WriteOutcome>> ReplayAsync(IRecordStore store, Caller caller, WriteOptions options, string hash, ObjectMetadata requested, CancellationToken ct)
    {
        var existing = await store.FindIdempotencyAsync(caller.Tenant, options.IdempotencyKey!, ct)
            ?? throw new InvalidOperationException("An idempotency key reported as taken is not stored.");
        return await AnswerAsync(store, caller, existing, hash, requested, ct);
    }

    /// <summary>
    /// The same hash means the same object as <paramref name="requested"/> (the hash covers the object's name), which
    /// is how a tenant's custom object (Invoice__c), unknown to <see cref="StandardObjects"/>, is found again.
    /// </summary>
    static async Task<CrmResult<WriteOutcome>> AnswerAsync(IRecordStore store, Caller caller, IdempotencyEntry existing, string hash, ObjectMetadata requested, CancellationToken ct)
    {
        if (existing.RequestHash != hash)
            return new CrmError(ErrorCodes.IdempotencyKeyReused,
                $"idempotency_key '{existing.Key}' was already used at {ValueJson.FormatDateTime(existing.CreatedAt)} for a different request ({existing.Operation} {existing.Object} {existing.RecordId}). Use a new key for a new write.", "idempotency_key");
        var obj = string.Equals(existing.Object, requested.Name, StringComparison.OrdinalIgnoreCase) ? requested
            : StandardObjects.TryGet(existing.Object, out var standard) ? standard
            : throw new InvalidOperationException($"Unknown object {existing.Object} in an idempotency entry.");
        var record = await store.GetAsync(caller.Tenant, obj, existing.RecordId, ct);
        if (record is null) return CrmError.NotFound(obj.Name, existing.RecordId);
        return new WriteOutcome(record, existing.Operation, []) { Replayed = true };
    }
}
