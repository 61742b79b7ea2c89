using RevOps.Domain.Tenancy;
using RevOps.Domain.Voice;
using RevOps.Storage.Sql;
using static RevOps.Storage.Webhooks.WebhookRows;

namespace RevOps.Storage.Voice;

/// <summary>
/// voice_recording_fetches of migration 0038, on either engine: rows are queued by <see cref="VoiceStore.MergeCallAsync"/>;
/// here they are claimed under a lease across tenants (<see cref="LeasedClaims"/>, as webhook deliveries are), the lease
/// moved on while a download runs, and finished only by the holder of the lease.
/// </summary>
internal sealed class RecordingFetchStore(SqlDatabase db) : IRecordingFetchQueue
{
    readonly SqlDialect _d = db.Dialect;

    const string NextDue = "SELECT MIN(next_attempt_at) FROM voice_recording_fetches WHERE status = 'pending'";

    string Due => $"""
        SELECT f.tenant_id, f.recording_sid FROM voice_recording_fetches f
        WHERE f.status = 'pending' AND f.next_attempt_at <= @now
        ORDER BY f.next_attempt_at, f.recording_sid
        {_d.Limit}{_d.ForUpdateSkipLocked("f")}
        """;

    const string Lease = """
        UPDATE voice_recording_fetches SET attempts = attempts + 1, lease_until = @lease, next_attempt_at = @lease
        WHERE tenant_id = @tenant AND recording_sid = @id
        """;

    const string Leased = "SELECT call_sid, recording_url, attempts FROM voice_recording_fetches WHERE tenant_id = @tenant AND recording_sid = @id";

    const string Renew = """
        UPDATE voice_recording_fetches SET lease_until = @next, next_attempt_at = @next
        WHERE tenant_id = @tenant AND recording_sid = @id AND status = 'pending' AND lease_until = @lease
        """;

    const string Finish = """
        UPDATE voice_recording_fetches SET status = @status, last_error = @error, lease_until = NULL,
            next_attempt_at = COALESCE(@next, next_attempt_at), finished_at = CASE WHEN @status = 'pending' THEN NULL ELSE @at END
        WHERE tenant_id = @tenant AND recording_sid = @id AND status = 'pending' AND lease_until = @lease
        """;

    const string OfCall = """
        SELECT recording_sid, recording_url, status, attempts, last_error, created_at, finished_at FROM voice_recording_fetches
        WHERE tenant_id = @tenant AND call_sid = @sid ORDER BY created_at, recording_sid
        """;

    public Task<DateTime?> NextDueAsync(CancellationToken ct) =>
        db.ReadAcrossTenantsAsync(async session =>
        {
            await using var reader = await session.Command(NextDue).ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? session.Dialect.ReadNullableTime(reader, 0) : null;
        }, ct);

    public Task<IReadOnlyList<DueRecordingFetch>> ClaimAsync(DateTime now, DateTime leaseUntil, int limit, CancellationToken ct) =>
        LeasedClaims.ClaimAsync(db, Due, Lease, Leased, now, leaseUntil, limit, (reader, tenant, id, lease) =>
            new DueRecordingFetch(tenant, id, reader.GetString(0), reader.GetString(1), Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture), lease), ct);

    public async Task<DueRecordingFetch?> RenewAsync(DueRecordingFetch fetch, DateTime leaseUntil, CancellationToken ct)
    {
        string next = Time(leaseUntil);
        int renewed = await db.WriteAsync(fetch.Tenant, session =>
        {
            var command = session.Command(Renew);
            _d.AddTenant(command, fetch.Tenant);
            _d.AddText(command, "@id", fetch.RecordingSid);
            _d.AddTime(command, "@lease", ParseTime(fetch.Lease));
            _d.AddTime(command, "@next", ParseTime(next));
            return command.ExecuteNonQueryAsync(ct);
        }, ct);
        return renewed == 1 ? fetch with { Lease = next } : null;
    }

    public async Task<bool> FinishAsync(DueRecordingFetch fetch, RecordingFetchOutcome outcome, CancellationToken ct) =>
        await db.WriteAsync(fetch.Tenant, session =>
        {
            var command = session.Command(Finish);
            _d.AddTenant(command, fetch.Tenant);
            _d.AddText(command, "@id", fetch.RecordingSid);
            _d.AddTime(command, "@lease", ParseTime(fetch.Lease));
            _d.AddText(command, "@status", outcome.Status);
            _d.AddText(command, "@error", outcome.Error);
            _d.AddTime(command, "@next", outcome.NextAttemptAt);
            _d.AddTime(command, "@at", outcome.At);
            return command.ExecuteNonQueryAsync(ct);
        }, ct) == 1;

    public Task<IReadOnlyList<RecordingFetchState>> ListAsync(TenantId tenant, string callSid, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<RecordingFetchState>>(tenant, async session =>
        {
            var command = session.Command(OfCall);
            _d.AddTenant(command, tenant);
            _d.AddText(command, "@sid", callSid);
            var states = new List<RecordingFetchState>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                states.Add(new RecordingFetchState(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    Convert.ToInt32(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture), _d.ReadNullableText(reader, 4),
                    _d.ReadTime(reader, 5), _d.ReadNullableTime(reader, 6)));
            return states;
        }, ct);
}
