using System.Data.Common;
using RevOps.Domain.Tenancy;
using static RevOps.Storage.Webhooks.WebhookRows;

namespace RevOps.Storage.Sql;

/// <summary>
/// Claims due work across tenants under a lease, in one operator transaction: reads up to
/// <c>@limit</c> (tenant, id) pairs due at <c>@now</c>, sets each one's lease, and reads back the
/// rows this claim won. The webhook outbox and the automation runs share it, so a node that dies
/// holding work gives it up when the lease runs out, on either engine.
/// </summary>
internal static class LeasedClaims
{
    /// <param name="due">Selects (tenant_id, id) of what is due; takes @now and @limit.</param>
    /// <param name="lease">Sets the lease of one row; takes the tenant, @id and @lease (and what <paramref name="addToLease"/> adds).</param>
    /// <param name="leased">Reads the row back if this claim holds it; takes the tenant and @id.</param>
    /// <param name="read">Makes the claimed item from the leased row, given its tenant, id and lease as stored (whole milliseconds, the value the outcome's update compares).</param>
    public static Task<IReadOnlyList<T>> ClaimAsync<T>(SqlDatabase db, string due, string lease, string leased, DateTime now, DateTime leaseUntil, int limit,
        Func<DbDataReader, TenantId, string, string, T> read, CancellationToken ct, Action<DbCommand>? addToLease = null) =>
        db.WriteAcrossTenantsAsync<IReadOnlyList<T>>(async session =>
        {
            var d = db.Dialect;
            var select = session.Command(due);
            d.AddTime(select, "@now", now);
            d.AddLong(select, "@limit", limit);
            var ids = new List<(TenantId Tenant, string Id)>();
            await using (var reader = await select.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) ids.Add((d.ReadTenant(reader, 0), reader.GetString(1)));
            string leaseText = Time(leaseUntil);
            var claimed = new List<T>(ids.Count);
            foreach (var (tenant, id) in ids)
            {
                var update = session.Command(lease);
                d.AddTenant(update, tenant);
                d.AddText(update, "@id", id);
                d.AddTime(update, "@lease", ParseTime(leaseText));
                addToLease?.Invoke(update);
                await update.ExecuteNonQueryAsync(ct);
                var back = session.Command(leased);
                d.AddTenant(back, tenant);
                d.AddText(back, "@id", id);
                await using var reader = await back.ExecuteReaderAsync(ct);
                if (await reader.ReadAsync(ct)) claimed.Add(read(reader, tenant, id, leaseText));
            }
            return claimed;
        }, ct);
}
