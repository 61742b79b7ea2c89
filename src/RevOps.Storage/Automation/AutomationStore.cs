using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using RevOps.Domain.Automation;
using RevOps.Domain.Changes;
using RevOps.Domain.Metadata;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;
using static RevOps.Storage.Webhooks.WebhookRows;

namespace RevOps.Storage.Automation;

/// <summary>
/// Rules, cursors and runs on either engine, following the change log the way the webhook outbox does:
/// <see cref="FollowAsync"/> turns the changes after a tenant's cursor into run rows and moves the cursor in
/// one transaction of the tenant, under a lock of the cursor row that re-reads it, so each change makes its
/// runs once however many nodes follow at the same time. A run is claimed as a lease (next_attempt_at moves
/// to the lease's end) only where no other node is claiming, so a process killed mid-run leaves a row that
/// falls due again by itself; the scans of what is behind or due span every tenant.
/// </summary>
internal sealed class AutomationStore(SqlDatabase db) : IAutomationStore
{
    readonly SqlDialect _d = db.Dialect;

    const string RuleColumns = "id, name, object, trigger_on, trigger_fields, definition, enabled, created_by, created_at, updated_at, next_fire_at";
    const string RunColumns = "id, rule_id, rule_name, seq, object, record_id, operation, depth, status, attempts, error, result, created_at, finished_at";

    const string InsertRule = $"""
        INSERT INTO automation_rules (tenant_id, {RuleColumns}, from_seq)
        VALUES (@tenant, @id, @name, @object, @on, @fields, @definition, @enabled, @createdBy, @created, @updated, @nextFire, (SELECT change_seq FROM tenants WHERE id = @tenant))
        """;

    const string EnsureCursor = """
        INSERT INTO automation_cursors (tenant_id, cursor_seq) SELECT id, change_seq FROM tenants WHERE id = @tenant
        ON CONFLICT (tenant_id) DO NOTHING
        """;

    const string UpdateRule = """
        UPDATE automation_rules SET name = @name, object = @object, trigger_on = @on, trigger_fields = @fields, definition = @definition,
            enabled = @enabled, updated_at = @updated, next_fire_at = @nextFire
        WHERE tenant_id = @tenant AND id = @id
        """;

    const string RestartRule = "UPDATE automation_rules SET from_seq = (SELECT change_seq FROM tenants WHERE id = @tenant) WHERE tenant_id = @tenant AND id = @id";

    string BehindTenants => $"""
        SELECT c.tenant_id FROM automation_cursors c JOIN tenants t ON t.id = c.tenant_id
        WHERE c.cursor_seq < t.change_seq
          AND EXISTS (SELECT 1 FROM automation_rules r WHERE r.tenant_id = c.tenant_id AND r.enabled = {_d.True})
        """;

    string LockCursor => $"SELECT cursor_seq FROM automation_cursors WHERE tenant_id = @tenant{_d.ForUpdate}";

    string EnabledRules => $"SELECT id, name, object, trigger_on, trigger_fields, from_seq FROM automation_rules WHERE tenant_id = @tenant AND enabled = {_d.True}";

    string ChangesAfter => $"""
        SELECT seq, object, record_id, operation, changes, channel, request_id
        FROM change_log WHERE tenant_id = @tenant AND seq > @after ORDER BY seq {_d.Limit}
        """;

    const string InsertRun = """
        INSERT INTO automation_runs (tenant_id, id, rule_id, rule_name, seq, object, record_id, operation, depth, changes, status, attempts,
            next_attempt_at, error, created_at, finished_at)
        VALUES (@tenant, @id, @rule, @name, @seq, @object, @record, @operation, @depth, @changes, @status, 0, @now, @error, @now, @finished)
        ON CONFLICT DO NOTHING
        """;

    const string AdvanceCursor = "UPDATE automation_cursors SET cursor_seq = @seq WHERE tenant_id = @tenant AND cursor_seq < @seq";

    // A run waits while an earlier run of the same record is pending (leased or not): rules see a record's changes in order.
    string Due => $"""
        SELECT r.tenant_id, r.id FROM automation_runs r
        WHERE r.status = 'pending' AND r.next_attempt_at <= @now
          AND NOT EXISTS (SELECT 1 FROM automation_runs e
                          WHERE e.tenant_id = r.tenant_id AND e.record_id = r.record_id AND e.status = 'pending' AND e.seq < r.seq)
        ORDER BY r.next_attempt_at, r.seq
        {_d.Limit}{_d.ForUpdateSkipLocked("r")}
        """;

    const string Lease = """
        UPDATE automation_runs SET attempts = attempts + 1, lease_until = @lease, next_attempt_at = @lease
        WHERE tenant_id = @tenant AND id = @id
        """;

    const string Leased = "SELECT rule_id, seq, object, record_id, operation, depth, changes, attempts FROM automation_runs WHERE tenant_id = @tenant AND id = @id";

    const string Finish = """
        UPDATE automation_runs SET status = @status, error = @error, result = @result, finished_at = @at, lease_until = NULL
        WHERE tenant_id = @tenant AND id = @id AND status = 'pending' AND lease_until = @lease
        """;

    public Task CreateAsync(AutomationRule rule, CancellationToken ct) =>
        db.WriteAsync(rule.Tenant, async session =>
        {
            var insert = session.Command(InsertRule);
            AddRule(insert, rule);
            _d.AddText(insert, "@createdBy", rule.CreatedBy);
            _d.AddTime(insert, "@created", rule.CreatedAt);
            await insert.ExecuteNonQueryAsync(ct);
            var cursor = session.Command(EnsureCursor);
            _d.AddTenant(cursor, rule.Tenant);
            return await cursor.ExecuteNonQueryAsync(ct);
        }, ct);

    public Task<IReadOnlyList<AutomationRule>> ListAsync(TenantId tenant, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<AutomationRule>>(tenant, async session =>
        {
            var command = session.Command($"SELECT {RuleColumns} FROM automation_rules WHERE tenant_id = @tenant ORDER BY created_at, id");
            _d.AddTenant(command, tenant);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rules = new List<AutomationRule>();
            while (await reader.ReadAsync(ct)) rules.Add(ReadRule(reader, tenant));
            return rules;
        }, ct);

    public Task<AutomationRule?> GetAsync(TenantId tenant, string id, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var command = session.Command($"SELECT {RuleColumns} FROM automation_rules WHERE tenant_id = @tenant AND id = @id");
            _d.AddTenant(command, tenant);
            _d.AddText(command, "@id", id);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? ReadRule(reader, tenant) : null;
        }, ct);

    public Task<bool> UpdateAsync(AutomationRule rule, bool fromNow, CancellationToken ct) =>
        db.WriteAsync(rule.Tenant, async session =>
        {
            var update = session.Command(UpdateRule);
            AddRule(update, rule);
            if (await update.ExecuteNonQueryAsync(ct) == 0) return false;
            if (fromNow)
            {
                var restart = session.Command(RestartRule);
                _d.AddTenant(restart, rule.Tenant);
                _d.AddText(restart, "@id", rule.Id);
                await restart.ExecuteNonQueryAsync(ct);
            }
            return true;
        }, ct);

    public Task<bool> DeleteAsync(TenantId tenant, string id, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var delete = session.Command("DELETE FROM automation_rules WHERE tenant_id = @tenant AND id = @id");
            _d.AddTenant(delete, tenant);
            _d.AddText(delete, "@id", id);
            return await delete.ExecuteNonQueryAsync(ct) > 0;
        }, ct);

    public Task<IReadOnlyList<AutomationRun>> RunsAsync(TenantId tenant, string? ruleId, string? status, int limit, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<AutomationRun>>(tenant, async session =>
        {
            var command = session.Command($"""
                SELECT {RunColumns} FROM automation_runs
                WHERE tenant_id = @tenant AND (@rule IS NULL OR rule_id = @rule) AND (@status IS NULL OR status = @status)
                ORDER BY seq {_d.Direction(descending: true)}, created_at {_d.Direction(descending: true)} {_d.Limit}
                """);
            _d.AddTenant(command, tenant);
            _d.AddText(command, "@rule", ruleId);
            _d.AddText(command, "@status", status);
            _d.AddLong(command, "@limit", limit);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var runs = new List<AutomationRun>();
            while (await reader.ReadAsync(ct))
                runs.Add(new AutomationRun(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                    reader.GetString(5), reader.GetString(6), Int(reader, 7), reader.GetString(8), Int(reader, 9), _d.ReadNullableText(reader, 10),
                    _d.ReadNullableText(reader, 11), _d.ReadTime(reader, 12), _d.ReadNullableTime(reader, 13)));
            return runs;
        }, ct);

    public Task<IReadOnlyList<ChangeRow>> RecentChangesAsync(TenantId tenant, string obj, int limit, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<ChangeRow>>(tenant, async session =>
        {
            var command = session.Command($"""
                SELECT seq, created_at, object, record_id, operation, changes, actor_id, channel, request_id
                FROM change_log WHERE tenant_id = @tenant AND object = @object ORDER BY seq DESC {_d.Limit}
                """);
            _d.AddTenant(command, tenant);
            _d.AddText(command, "@object", obj);
            _d.AddLong(command, "@limit", limit);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<ChangeRow>();
            while (await reader.ReadAsync(ct))
            {
                using var changes = JsonDocument.Parse(reader.GetString(5));
                rows.Add(new ChangeRow(reader.GetInt64(0), _d.ReadTime(reader, 1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    changes.RootElement.Clone(), reader.GetString(6), reader.GetString(7), _d.ReadNullableText(reader, 8)));
            }
            return rows;
        }, ct);

    public Task<long> DoneBeforeAsync(TenantId tenant, string ruleId, long seq, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var command = session.Command("SELECT COUNT(*) FROM automation_runs WHERE tenant_id = @tenant AND rule_id = @rule AND status = 'done' AND seq < @seq");
            _d.AddTenant(command, tenant);
            _d.AddText(command, "@rule", ruleId);
            _d.AddLong(command, "@seq", seq);
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct) ?? 0L, CultureInfo.InvariantCulture);
        }, ct);

    public Task<int> DoneSinceAsync(TenantId tenant, DateTime since, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var command = session.Command("SELECT COUNT(*) FROM automation_runs WHERE tenant_id = @tenant AND status = 'done' AND finished_at >= @since");
            _d.AddTenant(command, tenant);
            _d.AddTime(command, "@since", since);
            return Convert.ToInt32(await command.ExecuteScalarAsync(ct) ?? 0, CultureInfo.InvariantCulture);
        }, ct);

    public Task<bool> HasChangesToFollowAsync(CancellationToken ct) =>
        db.ReadAcrossTenantsAsync(async session =>
        {
            await using var reader = await session.Command(BehindTenants + " LIMIT 1").ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct);
        }, ct);

    public async Task<int> FollowAsync(DateTime now, int limit, int maxDepth, CancellationToken ct)
    {
        var behind = await db.ReadAcrossTenantsAsync(async session =>
        {
            await using var reader = await session.Command(BehindTenants).ExecuteReaderAsync(ct);
            var list = new List<TenantId>();
            while (await reader.ReadAsync(ct)) list.Add(_d.ReadTenant(reader, 0));
            return list;
        }, ct);
        var made = await Task.WhenAll(behind.Select(tenant => db.WriteAsync(tenant, session => FollowOneAsync(session, tenant, now, limit, maxDepth, ct), ct)));
        return made.Sum();
    }

    sealed record EnabledRule(string Id, string Name, string Object, RuleTrigger Trigger, long FromSeq);

    async Task<int> FollowOneAsync(SqlSession session, TenantId tenant, DateTime now, int limit, int maxDepth, CancellationToken ct)
    {
        var lockRow = session.Command(LockCursor);
        _d.AddTenant(lockRow, tenant);
        long cursor;
        await using (var reader = await lockRow.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct)) return 0;
            cursor = reader.GetInt64(0);
        }
        var rules = new List<EnabledRule>();
        var readRules = session.Command(EnabledRules);
        _d.AddTenant(readRules, tenant);
        await using (var reader = await readRules.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                rules.Add(new EnabledRule(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    new RuleTrigger(reader.GetString(3), ParseList(_d.ReadNullableText(reader, 4)) ?? []), reader.GetInt64(5)));

        long last = cursor;
        var runs = new List<(EnabledRule Rule, long Seq, string Object, string Record, string Operation, string Changes, int Depth)>();
        var read = session.Command(ChangesAfter);
        _d.AddTenant(read, tenant);
        _d.AddLong(read, "@after", cursor);
        _d.AddLong(read, "@limit", limit);
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                last = reader.GetInt64(0);
                string obj = reader.GetString(1), changes = reader.GetString(4);
                string[]? fields = null;
                foreach (var rule in rules)
                {
                    if (rule.Object != obj || last <= rule.FromSeq) continue;
                    fields ??= Fields(changes);
                    if (!rule.Trigger.Matches(reader.GetString(3), fields)) continue;
                    runs.Add((rule, last, obj, reader.GetString(2), reader.GetString(3), changes,
                        LoopDepth.OfRunFor(reader.GetString(5), _d.ReadNullableText(reader, 6))));
                }
            }
        }
        int made = 0;
        foreach (var (rule, seq, obj, record, operation, changes, depth) in runs)
        {
            bool stopped = depth > maxDepth;
            var insert = session.Command(InsertRun);
            _d.AddTenant(insert, tenant);
            _d.AddText(insert, "@id", "run_" + System.Security.Cryptography.RandomNumberGenerator.GetString("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 20));
            _d.AddText(insert, "@rule", rule.Id);
            _d.AddText(insert, "@name", rule.Name);
            _d.AddLong(insert, "@seq", seq);
            _d.AddText(insert, "@object", obj);
            _d.AddText(insert, "@record", record);
            _d.AddText(insert, "@operation", operation);
            _d.Add(insert, "@depth", (long)depth, StorageKind.Integer);
            _d.AddText(insert, "@changes", changes);
            _d.AddText(insert, "@status", stopped ? AutomationRun.Statuses.Stopped : AutomationRun.Statuses.Pending);
            _d.AddTime(insert, "@now", now);
            _d.AddText(insert, "@error", stopped ? AutomationService.LoopStopped(depth) : null);
            _d.AddTime(insert, "@finished", stopped ? now : null);
            made += await insert.ExecuteNonQueryAsync(ct);
        }
        var advance = session.Command(AdvanceCursor);
        _d.AddTenant(advance, tenant);
        _d.AddLong(advance, "@seq", last);
        await advance.ExecuteNonQueryAsync(ct);
        return made;
    }

    string DueFires => $"""
        SELECT tenant_id, id, next_fire_at FROM automation_rules
        WHERE next_fire_at IS NOT NULL AND next_fire_at <= @now AND enabled = {_d.True} AND trigger_on = '{RuleTrigger.Scheduled}'
        ORDER BY next_fire_at {_d.Limit}
        """;

    const string MoveFire = """
        UPDATE automation_rules SET next_fire_at = @next
        WHERE tenant_id = @tenant AND id = @id AND next_fire_at = @due
        """;

    public Task<IReadOnlyList<DueFire>> DueFiresAsync(DateTime now, int limit, CancellationToken ct) =>
        db.ReadAcrossTenantsAsync<IReadOnlyList<DueFire>>(async session =>
        {
            var command = session.Command(DueFires);
            _d.AddTime(command, "@now", now);
            _d.AddLong(command, "@limit", limit);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var fires = new List<DueFire>();
            while (await reader.ReadAsync(ct)) fires.Add(new DueFire(_d.ReadTenant(reader, 0), reader.GetString(1), _d.ReadTime(reader, 2)));
            return fires;
        }, ct);

    public Task<bool> FireAsync(AutomationRule rule, DateTime due, DateTime? next, DateTime now, CancellationToken ct) =>
        db.WriteAsync(rule.Tenant, async session =>
        {
            var move = session.Command(MoveFire);
            _d.AddTenant(move, rule.Tenant);
            _d.AddText(move, "@id", rule.Id);
            _d.AddTime(move, "@due", due);
            _d.AddTime(move, "@next", next);
            if (await move.ExecuteNonQueryAsync(ct) == 0) return false; // another node fired it
            var insert = session.Command(InsertRun);
            _d.AddTenant(insert, rule.Tenant);
            _d.AddText(insert, "@id", "run_" + System.Security.Cryptography.RandomNumberGenerator.GetString("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 20));
            _d.AddText(insert, "@rule", rule.Id);
            _d.AddText(insert, "@name", rule.Name);
            _d.AddLong(insert, "@seq", new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc)).ToUnixTimeSeconds());
            _d.AddText(insert, "@object", rule.Object);
            _d.AddText(insert, "@record", "");
            _d.AddText(insert, "@operation", AutomationRun.ScheduledOperation);
            _d.Add(insert, "@depth", 1L, StorageKind.Integer);
            _d.AddText(insert, "@changes", "{}");
            _d.AddText(insert, "@status", AutomationRun.Statuses.Pending);
            _d.AddTime(insert, "@now", now);
            _d.AddText(insert, "@error", null);
            _d.AddTime(insert, "@finished", null);
            return await insert.ExecuteNonQueryAsync(ct) > 0;
        }, ct);

    public Task<IReadOnlyList<DueRun>> ClaimAsync(DateTime now, DateTime leaseUntil, int limit, CancellationToken ct) =>
        LeasedClaims.ClaimAsync(db, Due, Lease, Leased, now, leaseUntil, limit, (reader, tenant, id, lease) =>
            new DueRun(tenant, id, reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                Int(reader, 5), reader.GetString(6), Int(reader, 7), lease), ct);

    public Task FinishAsync(DueRun run, RunOutcome outcome, DateTime at, CancellationToken ct) =>
        db.WriteAsync(run.Tenant, async session =>
        {
            var command = session.Command(Finish);
            _d.AddTenant(command, run.Tenant);
            _d.AddText(command, "@id", run.Id);
            _d.AddTime(command, "@lease", ParseTime(run.Lease));
            _d.AddText(command, "@status", outcome.Status);
            _d.AddText(command, "@error", outcome.Error);
            _d.AddText(command, "@result", outcome.Result);
            _d.AddTime(command, "@at", at);
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);

    void AddRule(DbCommand command, AutomationRule rule)
    {
        _d.AddTenant(command, rule.Tenant);
        _d.AddText(command, "@id", rule.Id);
        _d.AddText(command, "@name", rule.Name);
        _d.AddText(command, "@object", rule.Object);
        _d.AddText(command, "@on", rule.Trigger.On);
        _d.AddText(command, "@fields", rule.Trigger.Fields.Count == 0 ? null : ListJson(rule.Trigger.Fields));
        _d.AddText(command, "@definition", rule.Definition);
        _d.Add(command, "@enabled", rule.Enabled, StorageKind.Boolean);
        _d.AddTime(command, "@updated", rule.UpdatedAt);
        _d.AddTime(command, "@nextFire", rule.Trigger.On == RuleTrigger.Scheduled ? rule.NextFireAt : null);
    }

    AutomationRule ReadRule(DbDataReader reader, TenantId tenant) => new(reader.GetString(0), tenant, reader.GetString(1), reader.GetString(2),
        new RuleTrigger(reader.GetString(3), ParseList(_d.ReadNullableText(reader, 4)) ?? []), reader.GetString(5),
        (bool)_d.Read(reader, 6, StorageKind.Boolean)!, reader.GetString(7), _d.ReadTime(reader, 8), _d.ReadTime(reader, 9))
    { NextFireAt = _d.ReadNullableTime(reader, 10) };

    static string[] Fields(string changes)
    {
        using var document = JsonDocument.Parse(changes);
        return document.RootElement.ValueKind == JsonValueKind.Object ? [.. document.RootElement.EnumerateObject().Select(p => p.Name)] : [];
    }

    static int Int(DbDataReader reader, int ordinal) => Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
}
