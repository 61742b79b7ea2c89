using System.Globalization;
using System.Text;
using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Users;
using RevOps.Domain.Writes;

namespace RevOps.Domain.Voice;

/// <summary>
/// Logs calls as Tasks (TaskSubtype Call), one per CallSid however many callbacks arrive, in whatever order and
/// however often: the Task is found by its CallSid or created under an idempotency key derived from it (so two
/// first callbacks at once create one), then each callback adds what it knows through <see cref="RecordService"/>,
/// so the change log, webhooks and automation see every call as they see any other write.
/// </summary>
public sealed class CallLogger(IVoiceStore store, RecordService records, UserService users, Files.FileService files, IRecordStore recordStore, TimeProvider time)
{
    /// <summary>The Subject of a Task logged before anyone on the call is known; replaced by "Call with …".</summary>
    public const string PlaceholderSubject = "Call";
    public const string Channel = "voice";
    /// <summary>Of the transcript, the Description holds whole lines up to this many characters; the call's row holds all of it.</summary>
    public const int DescriptionTranscriptChars = 8000;
    const int MaxMergeRounds = 8;
    const int MaxCandidates = 50;

    static readonly string[] FinalStatuses = ["completed", "busy", "no-answer", "failed", "canceled"];

    /// <summary>Twilio's spellings of "no number": browser and SIP clients, withheld caller ids.</summary>
    static readonly string[] NoNumber = ["anonymous", "restricted", "unknown", "unavailable", "private", "blocked"];

    public async Task<CrmResult<VoiceCall>> LogAsync(TenantId tenant, CallEvent call, string? requestId, CancellationToken ct)
    {
        if (!IsCallSid(call.CallSid))
            return new CrmError(ErrorCodes.InvalidArgument, "CallSid must be Twilio's call Sid: \"CA\" and 32 hex digits. Send the CallSid of the call this callback is about.", "CallSid");
        if (new[] { call.From, call.To, call.Direction, call.CallStatus, call.RecordingUrl, call.Transcript }.Any(text => text?.Contains('\0') == true))
            return new CrmError(ErrorCodes.InvalidArgument, "The callback holds a NUL character, which no Twilio or Deepgram callback sends. Send the provider's callback as it is.");
        var settings = (await store.GetAsync(tenant, ct))?.Settings ?? VoiceSettings.Default;
        var from = Number(call.From, "From", settings);
        if (!from.IsOk) return from.Error;
        var to = Number(call.To, "To", settings);
        if (!to.IsOk) return to.Error;
        if (call.DurationSeconds is < 0)
            return new CrmError(ErrorCodes.InvalidArgument, $"CallDuration must be a whole number of seconds, 0 or more; {call.DurationSeconds} was sent.", "CallDuration");

        if (await users.LocalCallerAsync(tenant, Scopes.Read | Scopes.Write, Channel, ct) is not { } integration)
            return new CrmError(ErrorCodes.InsufficientAccess, "The org has no active user to log calls as. Activate a user (revops user activate) and send the callback again.");
        var caller = integration with { RequestId = requestId };

        string? taskId = await store.FindTaskAsync(tenant, call.CallSid, ct);
        if (taskId is null)
        {
            var created = await CreatePlaceholderAsync(caller, call.CallSid, ct);
            if (!created.IsOk) return created.Error;
            taskId = created.Value;
        }
        // A call whose Task is in the recycle bin is refused before anything is merged: restoring the Task logs into it again.
        if (await records.GetAsync(caller, StandardObjects.Task, taskId, ct) is { IsOk: false } gone) return gone.Error;
        var row = await store.MergeCallAsync(tenant, new VoiceCallUpdate(call.CallSid, taskId, Clean(call.RecordingUrl), Clean(call.Transcript), call.TranscriptSource,
            Clean(call.RecordingUrl) is null ? null : call.RecordingSid), Now(), ct);

        var team = await PhonesOfUsersAsync(tenant, settings, ct);
        var sides = Sides(call.Direction, from.Value, to.Value, team);
        // Another callback of the same call may merge into the row between this one's merge and its Task update, and
        // write the Task before this one does: round again until the Task was written from the row's latest state.
        for (int round = 0; round < MaxMergeRounds; round++)
        {
            var task = await records.GetAsync(caller, StandardObjects.Task, taskId, ct);
            if (!task.IsOk) return task.Error;
            var fields = await FieldsAsync(caller, settings, task.Value, call, sides, team, row, ct);
            if (!fields.IsOk) return fields.Error;
            if (fields.Value.Count > 0)
            {
                var updated = await records.UpdateAsync(caller, StandardObjects.Task, taskId, new RecordInput(fields.Value), WriteOptions.Default, ct);
                // Many callbacks of one call at once can keep this one losing the Task's version race: the next round reads the Task again.
                if (!updated.IsOk && updated.Error.Code == ErrorCodes.Conflict && round < MaxMergeRounds - 1) continue;
                if (!updated.IsOk) return updated.Error;
            }
            var latest = await store.GetCallAsync(tenant, call.CallSid, ct) ?? row;
            if (latest.Revision == row.Revision) break;
            row = latest;
        }
        await AttachCallFilesAsync(caller, taskId, row, ct);
        return row;
    }

    public const int MaxSearchResults = 50;

    /// <summary>The caller's calls whose transcript holds the words (2 to 200 characters), most recent first.</summary>
    public async Task<CrmResult<IReadOnlyList<VoiceCall>>> SearchAsync(Caller caller, string? words, int limit, CancellationToken ct)
    {
        words = words?.Trim();
        if (words is null || words.Length is < 2 or > 200 || words.Any(char.IsControl))
            return new CrmError(ErrorCodes.InvalidArgument, "q must be 2 to 200 printable characters of the transcript to find, e.g. q=pricing.", "q");
        if (limit is < 1 or > MaxSearchResults)
            return new CrmError(ErrorCodes.InvalidArgument, $"limit must be between 1 and {MaxSearchResults}; {limit} was sent.", "limit");
        return CrmResult<IReadOnlyList<VoiceCall>>.Ok(await store.SearchTranscriptsAsync(caller.Tenant, words, limit, ct));
    }

    /// <summary>
    /// The whole transcript as a text file on the Task (transcript-{CallSid}.txt), so it travels with the Task wherever
    /// files do (ContentDocumentLink, get_record's TextContent): created with the first transcript, a new version of the
    /// same document when a later callback changes it, nothing when a replay brings the same text (its MD5 is the
    /// latest version's Checksum). The recording stays a link in the Description: Twilio serves it behind the account's
    /// credentials, which RevOps does not hold.
    /// </summary>
    async Task AttachCallFilesAsync(Caller caller, string taskId, VoiceCall call, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(call.Transcript)) return;
        byte[] bytes = Encoding.UTF8.GetBytes(call.Transcript);
#pragma warning disable CA5351 // Compared with ContentVersion.Checksum, which is an MD5 as in Salesforce; nothing is trusted by it.
        string checksum = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(bytes));
#pragma warning restore CA5351
        string path = $"transcript-{call.CallSid}.txt";
        var version = StandardObjects.ContentVersion;
        var latest = await recordStore.QueryAsync(caller.Tenant, version, new RecordQuery(
            [[new Condition(version.Field("PathOnClient"), ConditionOp.Equals, path)], [new Condition(version.Field("IsLatest"), ConditionOp.Equals, true)]],
            version.Field("CreatedDate"), Descending: true, 1), ct);
        if (latest.Count > 0 && latest[0]["Checksum"] as string == checksum) return;
        var fields = new List<KeyValuePair<string, JsonElement>>
        {
            new("Title", JsonSerializer.SerializeToElement($"Call transcript {call.CallSid}", DomainJson.Default.String)),
            new("PathOnClient", JsonSerializer.SerializeToElement(path, DomainJson.Default.String)),
            latest.Count > 0
                ? new("ContentDocumentId", JsonSerializer.SerializeToElement((string)latest[0]["ContentDocumentId"]!, DomainJson.Default.String))
                : new("FirstPublishLocationId", JsonSerializer.SerializeToElement(taskId, DomainJson.Default.String)),
        };
        using var content = new MemoryStream(bytes, writable: false);
        // The call is logged whatever happens to its file (a full quota, say): the transcript stays in the call's row.
        // Two deliveries of the same text at the same moment both get past the check above: the key (this text after that
        // version) lets one of them commit, and the other answers the same version.
        string after = latest.Count > 0 ? latest[0].Id : "none";
        await files.CreateVersionAsync(caller, RecordInput.From(fields), content, bytes.Length, ct, idempotencyKey: $"voice-transcript:{call.CallSid}:{after}:{checksum}");
    }

    /// <summary>The recording's file name on the Task: one per RecordingSid, so a call with several recordings keeps each.</summary>
    public static string RecordingPath(string callSid, string recordingSid) => $"recording-{callSid}-{recordingSid}.mp3";

    /// <summary>
    /// The Task a fetched recording is to be stored on, or null when there is nothing to do: the recording is on the Task
    /// already (Stored), or the call has no Task. Asked before fetching, so a replayed callback
    /// or a fetch run again after a crash downloads nothing.
    /// </summary>
    public async Task<(string? TaskId, bool Stored)> RecordingTargetAsync(TenantId tenant, string callSid, string recordingSid, CancellationToken ct)
    {
        if (await store.FindTaskAsync(tenant, callSid, ct) is not { } taskId) return (null, false);
        var version = StandardObjects.ContentVersion;
        var stored = await recordStore.QueryAsync(tenant, version, new RecordQuery(
            [[new Condition(version.Field("PathOnClient"), ConditionOp.Equals, RecordingPath(callSid, recordingSid))]], version.Field("CreatedDate"), Descending: true, 1), ct);
        return stored.Count > 0 ? (null, true) : (taskId, false);
    }

    /// <summary>
    /// Stores a recording's audio as a file linked to the call's Task, through the same file store as transcripts, under
    /// the idempotency key voice-recording:{RecordingSid}: of two fetches of one recording, one file is kept.
    /// </summary>
    public async Task<CrmResult<Record>> AttachRecordingAsync(TenantId tenant, string callSid, string recordingSid, string taskId, Stream audio, CancellationToken ct)
    {
        if (await users.LocalCallerAsync(tenant, Scopes.Read | Scopes.Write, Channel, ct) is not { } caller)
            return new CrmError(ErrorCodes.InsufficientAccess, "The org has no active user to store the recording as. Activate a user (revops user activate).");
        var fields = new List<KeyValuePair<string, JsonElement>>
        {
            new("Title", Text($"recording-{callSid}.mp3")),
            new("PathOnClient", Text(RecordingPath(callSid, recordingSid))),
            new("FirstPublishLocationId", Text(taskId)),
        };
        return await files.CreateVersionAsync(caller, RecordInput.From(fields), audio, long.MaxValue, ct, idempotencyKey: "voice-recording:" + recordingSid);
    }

    public static bool IsCallSid(string? sid) =>
        sid is { Length: 34 } && sid.StartsWith("CA", StringComparison.Ordinal) && sid.AsSpan(2).IndexOfAnyExcept("0123456789abcdefABCDEF") < 0;

    /// <summary>The same input for every first callback of a call, so their idempotency key (the CallSid) makes one Task of them.</summary>
    async Task<CrmResult<string>> CreatePlaceholderAsync(Caller caller, string sid, CancellationToken ct)
    {
        var input = new RecordInput([
            new("Subject", Text(PlaceholderSubject)), new("TaskSubtype", Text("Call")), new("Status", Text("Completed")), new("CallObject", Text(sid)),
        ]);
        var created = await records.CreateAsync(caller, StandardObjects.Task, input, new WriteOptions(IdempotencyKey: "voice-call:" + sid), ct);
        return created.IsOk ? created.Value.Record.Id : created.Error;
    }

    sealed record CallSides(string? Customer, string? UserNumber, string? CallType);

    static CallSides Sides(string? direction, string? from, string? to, IReadOnlyDictionary<string, string> team)
    {
        bool fromUser = from is not null && team.ContainsKey(from), toUser = to is not null && team.ContainsKey(to);
        string dir = direction?.Trim().ToLowerInvariant() ?? "";
        if (fromUser && toUser) return new(null, to, "Internal");
        if (dir == "inbound") return new(from, to, "Inbound");
        if (dir.StartsWith("outbound", StringComparison.Ordinal)) return new(to, from, "Outbound");
        if (fromUser) return new(to, from, "Outbound");
        return new(from, to, toUser ? "Inbound" : null);
    }

    async Task<CrmResult<List<KeyValuePair<string, JsonElement>>>> FieldsAsync(Caller caller, VoiceSettings settings, Record task, CallEvent call,
        CallSides sides, IReadOnlyDictionary<string, string> team, VoiceCall row, CancellationToken ct)
    {
        var fields = new List<KeyValuePair<string, JsonElement>>();
        void Set(string name, object? value)
        {
            if (value is null || Same(task[name], value)) return;
            fields.Add(new(name, value is string s ? Text(s) : JsonElement.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!)));
        }

        Set("CallType", sides.CallType);
        Set("CallDurationInSeconds", call.DurationSeconds);
        if (call.CallStatus?.Trim().ToLowerInvariant() is { } status && FinalStatuses.Contains(status)) Set("CallDisposition", Disposition(status));
        if (task["ActivityDate"] is null) Set("ActivityDate", Now().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        if (task["WhoId"] is null && sides.Customer is { } customer)
        {
            var who = await MatchAsync(caller, customer, settings, ct);
            if (who is null && settings.Unmatched == UnmatchedCalls.CreateLead)
            {
                var lead = await CreateLeadAsync(caller, customer, call.CallSid, ct);
                if (!lead.IsOk) return lead.Error;
                who = lead.Value;
            }
            if (who is not null) Set("WhoId", who.Id);
            if (Equals(task["Subject"], PlaceholderSubject)) Set("Subject", Clip($"Call with {who?.DisplayName ?? PhoneNormalizer.Display(customer)}", 255));
        }
        else if (sides.CallType == "Internal" && Equals(task["Subject"], PlaceholderSubject)) Set("Subject", "Internal call");

        string? owner = sides.UserNumber is { } number && team.TryGetValue(number, out var user) ? user : null;
        owner ??= sides.UserNumber is not null || sides.Customer is not null ? settings.DefaultOwnerId : null;
        Set("OwnerId", owner);
        Set("Description", Describe(row));
        return fields;
    }

    static bool Same(object? stored, object value) =>
        stored is not null && string.Equals(Convert.ToString(stored is DateOnly d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : stored, CultureInfo.InvariantCulture),
            Convert.ToString(value, CultureInfo.InvariantCulture), StringComparison.Ordinal);

    static string Disposition(string status) => status switch
    {
        "completed" => "Completed",
        "busy" => "Busy",
        "no-answer" => "No answer",
        "failed" => "Failed",
        _ => "Canceled",
    };

    /// <summary>
    /// The Contact or Lead of the tenant holding the number as Phone or MobilePhone; of several, the most recently changed.
    /// Candidates come from the search index's phone keys (one index seek per phone column), then each is compared in E.164 form.
    /// </summary>
    async Task<Record?> MatchAsync(Caller caller, string e164, VoiceSettings settings, CancellationToken ct)
    {
        var candidates = await store.FindByPhoneKeysAsync(caller.Tenant, PhoneNormalizer.IndexKeys(e164), MaxCandidates, ct);
        Record? best = null;
        foreach (var candidate in candidates)
        {
            if (candidate.Object is not ("Contact" or "Lead")) continue;
            if (!IsNumber(candidate.Phone, e164, settings) && !IsNumber(candidate.MobilePhone, e164, settings)) continue;
            var record = await records.GetAsync(caller, candidate.Object == "Contact" ? StandardObjects.Contact : StandardObjects.Lead, candidate.Id, ct);
            if (!record.IsOk) continue;
            if (best is null || (DateTime)record.Value["LastModifiedDate"]! > (DateTime)best["LastModifiedDate"]!) best = record.Value;
        }
        return best;
    }

    static bool IsNumber(string? stored, string e164, VoiceSettings settings) =>
        PhoneNormalizer.TryNormalize(stored, settings.DefaultRegion, out var normalized) && normalized == e164;

    /// <summary>A Lead for an unknown caller; the CallSid's idempotency key makes concurrent callbacks of one call create one.</summary>
    async Task<CrmResult<Record>> CreateLeadAsync(Caller caller, string e164, string sid, CancellationToken ct)
    {
        string display = PhoneNormalizer.Display(e164);
        var input = new RecordInput([
            new("LastName", Text(display)), new("Company", Text("Unknown caller")), new("Phone", Text(display)),
            new("LeadSource", Text("Phone Inquiry")), new("Description", Text($"Created for the call {sid} from a number no Contact or Lead held.")),
        ]);
        var created = await records.CreateAsync(caller, StandardObjects.Lead, input, new WriteOptions(IdempotencyKey: "voice-lead:" + sid, OnDuplicate: DuplicatePolicy.Report), ct);
        return created.IsOk ? created.Value.Record : created.Error;
    }

    /// <summary>Active users' Phone and MobilePhone in E.164 form, to their User Ids (the first created wins a shared number).</summary>
    async Task<IReadOnlyDictionary<string, string>> PhonesOfUsersAsync(TenantId tenant, VoiceSettings settings, CancellationToken ct)
    {
        var phones = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var user in await users.ListAsync(tenant, ct))
            if (user.IsActive)
                foreach (var field in new[] { "Phone", "MobilePhone" })
                    if (PhoneNormalizer.TryNormalize(user.Record[field] as string, settings.DefaultRegion, out var e164)) phones.TryAdd(e164, user.Id);
        return phones;
    }

    /// <summary>The Description: the recording's URL and the transcript's first lines (all of it stays in the call's row).</summary>
    public static string? Describe(VoiceCall row)
    {
        if (row.RecordingUrl is null && row.Transcript is null) return null;
        var text = new StringBuilder();
        if (row.RecordingUrl is { } url) text.Append("Recording: ").Append(url).Append('\n');
        if (row.Transcript is { } transcript)
        {
            var lines = transcript.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            text.Append("Transcript (").Append(row.TranscriptSource).Append("):\n");
            int shown = 0;
            foreach (var line in lines)
            {
                if (text.Length + line.Length + 1 > DescriptionTranscriptChars) break;
                text.Append(line).Append('\n');
                shown++;
            }
            if (shown < lines.Length) text.Append("… ").Append(lines.Length - shown).Append(" more lines of the transcript are kept with the call.\n");
        }
        return text.ToString().TrimEnd('\n');
    }

    /// <summary>A number of a callback in E.164 form; null for Twilio's non-numbers (clients, SIP, withheld ids); an error for anything else that is no phone number.</summary>
    static CrmResult<string?> Number(string? text, string field, VoiceSettings settings)
    {
        if (string.IsNullOrWhiteSpace(text)) return CrmResult<string?>.Ok(null);
        string trimmed = text.Trim();
        if (trimmed.StartsWith("client:", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("sip:", StringComparison.OrdinalIgnoreCase)
            || NoNumber.Contains(trimmed.TrimStart('+').ToLowerInvariant()) || trimmed.TrimStart('+').All(c => c == '0'))
            return CrmResult<string?>.Ok(null);
        if (PhoneNormalizer.TryNormalize(trimmed, settings.DefaultRegion, out var e164)) return CrmResult<string?>.Ok(e164);
        return new CrmError(ErrorCodes.InvalidArgument,
            $"{field} '{Clip(trimmed, 40)}' is not a phone number (read in region {settings.DefaultRegion}). Send the number as Twilio does, in E.164 form like +14155550100.", field);
    }

    static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    static string Clip(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    static JsonElement Text(string value) => JsonSerializer.SerializeToElement(value, DomainJson.Default.String);

    DateTime Now() => time.GetUtcNow().UtcDateTime;
}
