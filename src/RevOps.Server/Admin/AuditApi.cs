using System.Globalization;
using System.Text.Json;
using RevOps.Domain.Audit;
using RevOps.Domain.Errors;
using RevOps.Server.Auth;
using RevOps.Server.Json;

namespace RevOps.Server.Admin;

/// <summary>GET /api/audit: the tenant's administrative changes, newest first, for its admin keys.</summary>
public static class AuditApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/audit").RequireAuthorization();
        api.MapGet("", ListAsync);
        return api;
    }

    /// <summary>?limit=1..1000 (default 100) and ?before=SEQ for the page after next_before.</summary>
    static async Task<IResult> ListAsync(HttpContext http, IAuditStore audit, CancellationToken ct)
    {
        var (caller, refusal) = ApiCaller.Admin(http, "Reading the audit log");
        if (caller is null) return refusal!;
        int limit = DefaultLimit;
        if (http.Request.Query["limit"].ToString() is { Length: > 0 } limitText && (!int.TryParse(limitText, out limit) || limit is < 1 or > MaxLimit))
            return ApiJson.Error(new CrmError(ErrorCodes.InvalidArgument, $"limit '{limitText}' must be a whole number from 1 to {MaxLimit}, e.g. 50.", "limit"));
        long? before = null;
        if (http.Request.Query["before"].ToString() is { Length: > 0 } beforeText)
        {
            if (!long.TryParse(beforeText, out long seq) || seq < 1)
                return ApiJson.Error(new CrmError(ErrorCodes.InvalidArgument, $"before '{beforeText}' must be a sequence number from next_before, e.g. 42.", "before"));
            before = seq;
        }
        var entries = await audit.ListAsync(caller.Tenant, before, limit, ct);
        return ApiJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("entries");
            foreach (var entry in entries) Write(w, entry);
            w.WriteEndArray();
            if (entries.Count == limit && entries[^1].Seq > 1) w.WriteNumber("next_before", entries[^1].Seq);
            w.WriteEndObject();
        });
    }

    public static void Write(Utf8JsonWriter w, AuditEntry entry)
    {
        w.WriteStartObject();
        w.WriteNumber("seq", entry.Seq);
        w.WriteString("at", entry.At.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        w.WriteString("actor_id", entry.ActorId);
        if (entry.KeyId is null) w.WriteNull("key_id"); else w.WriteString("key_id", entry.KeyId);
        w.WriteString("channel", entry.Channel);
        w.WriteString("action", entry.Action);
        w.WriteString("target", entry.Target);
        w.WritePropertyName("details");
        using (var details = JsonDocument.Parse(entry.Details)) details.RootElement.WriteTo(w);
        if (entry.RequestId is null) w.WriteNull("request_id");
        else w.WriteString("request_id", entry.RequestId);
        w.WriteEndObject();
    }
}
