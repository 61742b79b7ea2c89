using System.Data.Common;
using RevOps.Domain.Audit;
using RevOps.Domain.Duplicates;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Voice;
using RevOps.Storage.Audit;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Voice;

/// <summary>
/// voice_settings (each tenant's integration) and voice_calls (one row per call) of migration 0023, the recording fetches
/// queued with a call's merge (0038), and the look-up of a
/// call's Task by Task.CallObject through its index. Written once for both engines.
/// </summary>
internal sealed class VoiceStore(SqlDatabase db) : IVoiceStore
{
    const string SelectSettings = """
        SELECT twilio_auth_token, deepgram_secret_hash, default_region, unmatched, default_owner_id, twilio_account_sid FROM voice_settings WHERE tenant_id = @tenant
        """;

    const string Insert = """
        INSERT INTO voice_settings (tenant_id, twilio_auth_token, deepgram_secret_hash, default_region, unmatched, default_owner_id, twilio_account_sid, updated_at)
        VALUES (@tenant, @token, @hash, @region, @unmatched, @owner, @account, @at)
        ON CONFLICT (tenant_id) DO UPDATE SET
        """;

    // Either may be sent alone: the other stays as it was.
    const string SetToken = Insert + """
         twilio_auth_token = COALESCE(excluded.twilio_auth_token, voice_settings.twilio_auth_token),
         twilio_account_sid = COALESCE(excluded.twilio_account_sid, voice_settings.twilio_account_sid), updated_at = excluded.updated_at
        """;
    const string SetHash = Insert + " deepgram_secret_hash = excluded.deepgram_secret_hash, updated_at = excluded.updated_at";
    const string SetSettings = Insert + """
         default_region = excluded.default_region, unmatched = excluded.unmatched, default_owner_id = excluded.default_owner_id, updated_at = excluded.updated_at
        """;

    const string SelectCallTask = "SELECT task_id FROM voice_calls WHERE tenant_id = @tenant AND call_sid = @sid";

    readonly string _selectTaskByCallObject = $"SELECT Id FROM task WHERE tenant_id = @tenant AND CallObject = @sid AND {db.Dialect.NotDeleted()} ORDER BY CreatedDate, Id {db.Dialect.Limit}";

    // A scan of the tenant's calls (its transcripts are not in the full-text index): fine for thousands of calls.
    readonly string _searchTranscripts = $"""
        SELECT c.task_id, c.recording_url, c.transcript, c.transcript_source, c.revision, c.call_sid FROM voice_calls c
        JOIN task t ON t.tenant_id = c.tenant_id AND t.Id = c.task_id AND {db.Dialect.NotDeleted("t")}
        WHERE c.tenant_id = @tenant AND {db.Dialect.Like("c.transcript", "@words")}
        ORDER BY c.updated_at DESC, c.call_sid {db.Dialect.Limit}
        """;

    // One SELECT per phone column, so each seeks its own expression index of migration 0017 (SQLite plans an OR of the two
    // as a scan of the tenant's rows).
    readonly string _phoneCandidates = string.Join(" UNION ", db.Dialect.DuplicateKey(DuplicateKey.Phone).Select(key =>
        $"SELECT object, record_id, name, phone, mobile_phone FROM search_doc WHERE tenant_id = @tenant AND {db.Dialect.InParents(key)}")) + " " + db.Dialect.Limit;

    const string SelectCall = "SELECT task_id, recording_url, transcript, transcript_source, revision FROM voice_calls WHERE tenant_id = @tenant AND call_sid = @sid";

    // Deepgram's transcript replaces Twilio's, never the reverse; the revision grows only when something changed,
    // so a replayed callback leaves the row as it was.
    const string TakesTranscript = "excluded.transcript IS NOT NULL AND (excluded.transcript_source = 'deepgram' OR voice_calls.transcript_source IS NULL OR voice_calls.transcript_source <> 'deepgram')";

    const string MergeCall = $"""
        INSERT INTO voice_calls (tenant_id, call_sid, task_id, recording_url, transcript, transcript_source, revision, updated_at)
        VALUES (@tenant, @sid, @task, @recording, @transcript, @source, 1, @at)
        ON CONFLICT (tenant_id, call_sid) DO UPDATE SET
            recording_url = COALESCE(excluded.recording_url, voice_calls.recording_url),
            transcript = CASE WHEN {TakesTranscript} THEN excluded.transcript ELSE voice_calls.transcript END,
            transcript_source = CASE WHEN {TakesTranscript} THEN excluded.transcript_source ELSE voice_calls.transcript_source END,
            revision = voice_calls.revision + CASE
                WHEN excluded.recording_url IS NOT NULL AND (voice_calls.recording_url IS NULL OR excluded.recording_url <> voice_calls.recording_url) THEN 1
                WHEN {TakesTranscript} AND (voice_calls.transcript IS NULL OR excluded.transcript <> voice_calls.transcript
                    OR excluded.transcript_source <> voice_calls.transcript_source) THEN 1
                ELSE 0 END,
            updated_at = excluded.updated_at
        RETURNING task_id, recording_url, transcript, transcript_source, revision
        """;

    // A replayed recording callback queues nothing more: one fetch per RecordingSid, whatever became of it.
    const string QueueFetch = """
        INSERT INTO voice_recording_fetches (tenant_id, recording_sid, call_sid, recording_url, status, attempts, next_attempt_at, created_at)
        VALUES (@tenant, @recording_sid, @sid, @recording, 'pending', 0, @at, @at)
        ON CONFLICT (tenant_id, recording_sid) DO NOTHING
        """;

    public Task<VoiceIntegration?> GetAsync(TenantId tenant, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var command = session.Command(SelectSettings);
            var d = session.Dialect;
            d.AddTenant(command, tenant);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return null;
            var settings = new VoiceSettings(reader.GetString(2), VoiceSettings.ParseUnmatched(reader.GetString(3)) ?? VoiceSettings.Default.Unmatched, d.ReadNullableText(reader, 4));
            return new VoiceIntegration(settings, d.ReadNullableText(reader, 0), d.ReadNullableText(reader, 1), d.ReadNullableText(reader, 5));
        }, ct);

    public Task SetTwilioAsync(TenantId tenant, string? authToken, string? accountSid, DateTime at, AuditEntry audit, CancellationToken ct) =>
        SaveAsync(tenant, SetToken, authToken, null, VoiceSettings.Default, at, audit, ct, accountSid);

    public Task SetDeepgramSecretAsync(TenantId tenant, string secretHash, DateTime at, AuditEntry audit, CancellationToken ct) =>
        SaveAsync(tenant, SetHash, null, secretHash, VoiceSettings.Default, at, audit, ct);

    public Task SetSettingsAsync(TenantId tenant, VoiceSettings settings, DateTime at, AuditEntry audit, CancellationToken ct) =>
        SaveAsync(tenant, SetSettings, null, null, settings, at, audit, ct);

    Task SaveAsync(TenantId tenant, string sql, string? token, string? hash, VoiceSettings settings, DateTime at, AuditEntry audit, CancellationToken ct, string? accountSid = null) =>
        db.WriteAsync(tenant, async session =>
        {
            var command = session.Command(sql);
            var d = session.Dialect;
            d.AddTenant(command, tenant);
            d.AddText(command, "@token", token);
            d.AddText(command, "@hash", hash);
            d.AddText(command, "@region", settings.DefaultRegion);
            d.AddText(command, "@unmatched", VoiceSettings.Text(settings.Unmatched));
            d.AddText(command, "@owner", settings.DefaultOwnerId);
            d.AddText(command, "@account", accountSid);
            d.AddTime(command, "@at", at);
            await command.ExecuteNonQueryAsync(ct);
            await AuditAppend.AppendAsync(session, audit, ct);
            return 0;
        }, ct);

    public Task<string?> FindTaskAsync(TenantId tenant, string callSid, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            foreach (var sql in new[] { SelectCallTask, _selectTaskByCallObject })
            {
                var command = session.Command(sql);
                session.Dialect.AddTenant(command, tenant);
                session.Dialect.AddText(command, "@sid", callSid);
                if (sql != SelectCallTask) session.Dialect.AddLong(command, "@limit", 1);
                if (await command.ExecuteScalarAsync(ct) is string id) return id;
            }
            return null;
        }, ct);

    public Task<VoiceCall> MergeCallAsync(TenantId tenant, VoiceCallUpdate update, DateTime at, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var command = session.Command(MergeCall);
            var d = session.Dialect;
            d.AddTenant(command, tenant);
            d.AddText(command, "@sid", update.CallSid);
            d.AddText(command, "@task", update.TaskId);
            d.AddText(command, "@recording", update.RecordingUrl);
            d.AddText(command, "@transcript", update.Transcript);
            d.AddText(command, "@source", update.Transcript is null ? null : update.TranscriptSource);
            d.AddTime(command, "@at", at);
            VoiceCall row;
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                if (!await reader.ReadAsync(ct)) throw new InvalidOperationException("An upsert of voice_calls returned no row.");
                row = Read(update.CallSid, reader, d);
            }
            if (update is { RecordingSid: { } recordingSid, RecordingUrl: { } url })
            {
                var queue = session.Command(QueueFetch);
                d.AddTenant(queue, tenant);
                d.AddText(queue, "@recording_sid", recordingSid);
                d.AddText(queue, "@sid", update.CallSid);
                d.AddText(queue, "@recording", url);
                d.AddTime(queue, "@at", at);
                await queue.ExecuteNonQueryAsync(ct);
            }
            return row;
        }, ct);

    public Task<VoiceCall?> GetCallAsync(TenantId tenant, string callSid, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var command = session.Command(SelectCall);
            session.Dialect.AddTenant(command, tenant);
            session.Dialect.AddText(command, "@sid", callSid);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? Read(callSid, reader, session.Dialect) : null;
        }, ct);

    public Task<IReadOnlyList<VoiceCall>> SearchTranscriptsAsync(TenantId tenant, string words, int limit, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<VoiceCall>>(tenant, async session =>
        {
            var command = session.Command(_searchTranscripts);
            var d = session.Dialect;
            d.AddTenant(command, tenant);
            d.AddText(command, "@words", "%" + SqlDialect.EscapeLike(words) + "%");
            d.AddLong(command, "@limit", limit);
            var calls = new List<VoiceCall>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                calls.Add(new VoiceCall(reader.GetString(5), reader.GetString(0), d.ReadNullableText(reader, 1), d.ReadNullableText(reader, 2), d.ReadNullableText(reader, 3), reader.GetInt64(4)));
            return calls;
        }, ct);

    public Task<IReadOnlyList<DuplicateCandidate>> FindByPhoneKeysAsync(TenantId tenant, IReadOnlyCollection<string> keys, int limit, CancellationToken ct)
    {
        if (keys.Count == 0) return Task.FromResult<IReadOnlyList<DuplicateCandidate>>([]);
        return db.ReadAsync<IReadOnlyList<DuplicateCandidate>>(tenant, async session =>
        {
            var command = session.Command(_phoneCandidates);
            var d = session.Dialect;
            d.AddTenant(command, tenant);
            d.AddParents(command, keys.ToArray());
            d.AddLong(command, "@limit", limit);
            var found = new List<DuplicateCandidate>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                found.Add(new DuplicateCandidate(reader.GetString(0), reader.GetString(1), d.ReadNullableText(reader, 2), null, d.ReadNullableText(reader, 3),
                    d.ReadNullableText(reader, 4), null, null, null));
            return found;
        }, ct);
    }

    static VoiceCall Read(string sid, DbDataReader reader, SqlDialect d) =>
        new(sid, reader.GetString(0), d.ReadNullableText(reader, 1), d.ReadNullableText(reader, 2), d.ReadNullableText(reader, 3), reader.GetInt64(4));
}
