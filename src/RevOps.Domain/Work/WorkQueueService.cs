using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using RevOps.Domain.Errors;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Work;

/// <summary>
/// The agents' work queue as MCP, REST, the CLI and automation rules use it: enqueue (validated), claim the next item
/// under a lease (with the record it is about, read as get_record reads it), then complete, fail or release it; only the
/// holder of the live lease may. Reading needs any key, changing the queue a key that may write.
/// </summary>
public sealed partial class WorkQueueService(IWorkQueueStore store, RecordService records, TimeProvider time)
{
    public const int MaxPromptLength = 8000;
    public const int MaxNoteLength = 8000;
    public const int DefaultLeaseSeconds = 300;
    /// <summary>The shortest lease a claim may ask for: short enough for tests of expiry, long enough to do something.</summary>
    public const int MinLeaseSeconds = 2;
    public const int MaxLeaseSeconds = 3600;
    /// <summary>Claims an item gets; when the lease lapses on the last one, the item is failed instead of queued again.</summary>
    public const int MaxAttempts = 3;
    public const int MaxPage = 200;
    const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    public const string NameRule = "1 to 40 letters, digits, '_', '-' or '.', starting with a letter or digit (e.g. research)";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")]
    private static partial Regex NamePattern();

    /// <summary>The item as it would be stored, or the first thing wrong with the request (nothing is written).</summary>
    public async Task<CrmResult<NewWorkItem>> ValidateAsync(Caller caller, WorkRequest request, string? source, string? idempotencyKey, CancellationToken ct)
    {
        if (!caller.CanWrite) return ReadOnlyKey("enqueue");
        var queue = Name(request.Queue, "queue", required: true);
        if (!queue.IsOk) return queue.Error;
        var type = Name(request.Type, "type", required: false);
        if (!type.IsOk) return type.Error;
        string prompt = request.Prompt?.Trim() ?? "";
        if (prompt.Length == 0) return new CrmError(ErrorCodes.RequiredFieldMissing, "prompt is required: what the agent should do, e.g. \"Research Acme: size, funding, recent news.\"", "prompt");
        if (prompt.Length > MaxPromptLength)
            return new CrmError(ErrorCodes.InvalidArgument, $"prompt has {prompt.Length} characters; at most {MaxPromptLength}. Put long material on the record and point to it.", "prompt");
        if (prompt.Contains('\0')) return new CrmError(ErrorCodes.InvalidArgument, "prompt holds a NUL character (\\u0000); send plain text.", "prompt");
        if (!WorkPriority.TryParse(request.Priority, out int priority))
            return new CrmError(ErrorCodes.InvalidArgument, $"priority must be one of {string.Join(", ", WorkPriority.Names)}; got '{Cut(request.Priority!)}'.", "priority");
        var due = ParseDue(request.Due);
        if (!due.IsOk) return due.Error;

        string? objectName = null, recordId = null;
        if (!string.IsNullOrWhiteSpace(request.RecordId))
        {
            if (!SalesforceId.TryNormalize(request.RecordId.Trim(), out var id) || await records.ObjectOfIdAsync(caller.Tenant, id, ct) is not { IsOk: true, Value: var obj }
                || !(obj.IsCustom || StandardObjects.Owned.Contains(obj)))
                return new CrmError(ErrorCodes.MalformedId, $"record_id '{Cut(request.RecordId)}' is not the Id of an Account, Contact, Lead, Opportunity, Task, Event or custom-object record.", "record_id");
            var found = await records.GetAsync(caller, obj, id, ct);
            if (!found.IsOk) return found.Error with { Field = "record_id" };
            (objectName, recordId) = (obj.Name, id);
        }
        return new NewWorkItem(caller.Tenant, "wi_" + RandomNumberGenerator.GetString(Base62, 20), queue.Value!, type.Value ?? "task", objectName, recordId, prompt,
            priority, due.Value, source, idempotencyKey, caller.ActorId, time.GetUtcNow().UtcDateTime);
    }

    /// <summary>Stores a new item; with an idempotency key already used, answers the item that key made (Created false) and stores nothing.</summary>
    public async Task<CrmResult<(WorkItem Item, bool Created)>> EnqueueAsync(Caller caller, WorkRequest request, CancellationToken ct, string? source = null, string? idempotencyKey = null)
    {
        var item = await ValidateAsync(caller, request, source, idempotencyKey, ct);
        if (!item.IsOk) return item.Error;
        return await store.EnqueueAsync(item.Value, ct);
    }

    /// <summary>Leases the next item of the queue (and type), or answers null when none is waiting.</summary>
    public async Task<CrmResult<WorkClaim?>> ClaimAsync(Caller caller, string? queue, string? type, int? leaseSeconds, CancellationToken ct)
    {
        if (!caller.CanWrite) return ReadOnlyKey("claim");
        var q = Name(queue, "queue", required: false);
        if (!q.IsOk) return q.Error;
        var t = Name(type, "type", required: false);
        if (!t.IsOk) return t.Error;
        int seconds = leaseSeconds ?? DefaultLeaseSeconds;
        if (seconds is < MinLeaseSeconds or > MaxLeaseSeconds)
            return new CrmError(ErrorCodes.InvalidArgument, $"lease_seconds must be {MinLeaseSeconds} to {MaxLeaseSeconds}; got {seconds}. The default, {DefaultLeaseSeconds}, suits most work.", "lease_seconds");
        var now = time.GetUtcNow().UtcDateTime;
        string lease = "lease_" + RandomNumberGenerator.GetString(Base62, 24);
        var claimed = await store.ClaimAsync(caller.Tenant, q.Value, t.Value, lease, now, now.AddSeconds(seconds), caller.ActorId, caller.KeyId, MaxAttempts, ct);
        if (claimed is null) return CrmResult<WorkClaim?>.Ok(null);
        var item = claimed.Item;
        if (item.RecordId is null || await records.ObjectOfIdAsync(caller.Tenant, item.RecordId, ct) is not { IsOk: true, Value: var obj }) return new WorkClaim(claimed, null, null);
        var record = await records.GetAsync(caller, obj, item.RecordId, ct);
        return record.IsOk ? new WorkClaim(claimed, record.Value, null) : new WorkClaim(claimed, null, record.Error!.Message);
    }

    /// <summary>Ends the caller's claim: done, failed (a note saying why is required) or released back to the queue.</summary>
    public async Task<CrmResult<WorkItem>> FinishAsync(Caller caller, string? id, string? lease, WorkEnd end, string? note, CancellationToken ct)
    {
        string verb = end switch { WorkEnd.Done => "complete", WorkEnd.Failed => "fail", _ => "release" };
        if (!caller.CanWrite) return ReadOnlyKey(verb);
        if (string.IsNullOrWhiteSpace(id)) return RequiredId(verb);
        if (string.IsNullOrWhiteSpace(lease))
            return new CrmError(ErrorCodes.RequiredFieldMissing, $"{verb} needs lease: the token claim answered with the item. Only the agent holding the lease may {verb} it.", "lease");
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (end == WorkEnd.Failed && note is null)
            return new CrmError(ErrorCodes.RequiredFieldMissing, "fail needs a note saying why, for whoever looks at the item next.", "note");
        if (note?.Contains('\0') == true) return new CrmError(ErrorCodes.InvalidArgument, "note holds a NUL character (\\u0000); send plain text.", "note");
        if (note?.Length > MaxNoteLength) return new CrmError(ErrorCodes.InvalidArgument, $"note has {note.Length} characters; at most {MaxNoteLength}.", "note");
        var now = time.GetUtcNow().UtcDateTime;
        var (item, refusal) = await store.FinishAsync(caller.Tenant, id.Trim(), lease.Trim(), end, note, now, MaxAttempts, ct);
        return refusal switch
        {
            FinishRefusal.None => item!,
            FinishRefusal.NotFound => NotFound(id),
            _ => new CrmError(ErrorCodes.Conflict, NotHolder(item!, verb), "lease"),
        };
    }

    public async Task<CrmResult<WorkItem>> GetAsync(Caller caller, string? id, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(id)) return RequiredId("get");
        var item = await store.GetAsync(caller.Tenant, id.Trim(), time.GetUtcNow().UtcDateTime, MaxAttempts, ct);
        return item is null ? NotFound(id) : item;
    }

    public async Task<CrmResult<WorkList>> ListAsync(Caller caller, string? queue, string? state, int limit, CancellationToken ct)
    {
        var q = Name(queue, "queue", required: false);
        if (!q.IsOk) return q.Error;
        if (state is not null && !WorkItem.States.All.Contains(state))
            return new CrmError(ErrorCodes.InvalidArgument, $"state must be one of {string.Join(", ", WorkItem.States.All)}; got '{Cut(state)}'.", "state");
        if (limit is < 1 or > MaxPage) return new CrmError(ErrorCodes.InvalidArgument, $"limit must be 1 to {MaxPage}; got {limit}.", "limit");
        var now = time.GetUtcNow().UtcDateTime;
        var items = await store.ListAsync(caller.Tenant, q.Value, state, limit, now, MaxAttempts, ct);
        var counts = await store.CountsAsync(caller.Tenant, q.Value, now, MaxAttempts, ct);
        return new WorkList(items, counts);
    }

    static string NotHolder(WorkItem item, string verb) => item.State switch
    {
        WorkItem.States.Claimed => $"work item {item.Id} is leased to another claim now (until {Iso(item.LeaseUntil!.Value)}); your lease lapsed. Claim the next item instead.",
        WorkItem.States.Queued => $"your lease on work item {item.Id} lapsed and the item went back to the queue; claim it again to {verb} it.",
        _ => $"work item {item.Id} is already {item.State}{(item.Note is null ? "" : $" (note: {Cut(item.Note)})")}; there is nothing to {verb}.",
    };

    /// <summary>Whether the text may name a queue or a type.</summary>
    public static bool IsName(string text) => NamePattern().IsMatch(text);

    /// <summary>What is wrong with a due date as text, or null when it reads.</summary>
    public static string? DueProblem(string? text) => ParseDue(text).Error?.Message;

    static CrmResult<DateTime?> ParseDue(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return CrmResult<DateTime?>.Ok(null);
        text = text.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        if (text.Contains('T') && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at.UtcDateTime;
        return new CrmError(ErrorCodes.InvalidArgument, $"due must be an ISO 8601 date or date and time, e.g. 2026-12-24 or 2026-12-24T17:00:00Z; got '{Cut(text)}'.", "due");
    }

    static CrmResult<string?> Name(string? value, string field, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
            return required ? new CrmError(ErrorCodes.RequiredFieldMissing, $"{field} is required: {NameRule}.", field) : CrmResult<string?>.Ok(null);
        value = value.Trim();
        return NamePattern().IsMatch(value) ? value : new CrmError(ErrorCodes.InvalidArgument, $"{field} '{Cut(value)}' is not a name: {NameRule}.", field);
    }

    static CrmError ReadOnlyKey(string verb) =>
        new(ErrorCodes.InsufficientAccess, $"this key may only read; to {verb} work items use a key with the write scope.");

    static CrmError RequiredId(string verb) => new(ErrorCodes.RequiredFieldMissing, $"{verb} needs id, the work item's id (wi_…); list finds it.", "id");

    static CrmError NotFound(string id) => new(ErrorCodes.NotFound, $"no work item '{Cut(id)}' in this org; list shows the items (work_queue action=list).", "id");

    static string Iso(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    static string Cut(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
