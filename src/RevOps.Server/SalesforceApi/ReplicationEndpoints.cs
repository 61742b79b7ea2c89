using RevOps.Domain;
using RevOps.Domain.Writes;

namespace RevOps.Server.SalesforceApi;

/// <summary>sobjects/{Type}/updated and /deleted: what changed in a time window, for replication clients.</summary>
public static class ReplicationEndpoints
{
    public static void Map(RouteGroupBuilder data)
    {
        data.MapGet("/sobjects/{type}/updated", UpdatedAsync);
        data.MapGet("/sobjects/{type}/deleted", DeletedAsync);
    }

    static async Task<IResult> UpdatedAsync(HttpContext http, string version, string type, string? start, string? end, RecordService records, TimeProvider time, CancellationToken ct)
    {
        var window = Window(version, type, start, end, time, out var obj);
        if (window.Error is not null) return SfJson.Error(window.Error);
        var changed = await records.ChangedBetweenAsync(SfRequest.Caller(http), obj, window.Start, window.End, deleted: false, ct);
        return SfJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("ids");
            foreach (var record in changed) w.WriteStringValue(record.Id);
            w.WriteEndArray();
            w.WriteString("latestDateCovered", SObjectEndpoints.Iso(window.End));
            w.WriteEndObject();
        });
    }

    static async Task<IResult> DeletedAsync(HttpContext http, string version, string type, string? start, string? end, RecordService records, RecycleBin bin, TimeProvider time, CancellationToken ct)
    {
        var window = Window(version, type, start, end, time, out var obj);
        if (window.Error is not null) return SfJson.Error(window.Error);
        var deleted = await records.ChangedBetweenAsync(SfRequest.Caller(http), obj, window.Start, window.End, deleted: true, ct);
        return SfJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("deletedRecords");
            foreach (var record in deleted.Where(r => r.DeletedAt is { } at && at >= window.Start && at <= window.End))
            {
                w.WriteStartObject();
                w.WriteString("id", record.Id);
                w.WriteString("deletedDate", SObjectEndpoints.Iso(record.DeletedAt!.Value));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("earliestDateAvailable", SObjectEndpoints.Iso(time.GetUtcNow().UtcDateTime.AddDays(-bin.RetentionDays)));
            w.WriteString("latestDateCovered", SObjectEndpoints.Iso(window.End));
            w.WriteEndObject();
        });
    }

    readonly record struct TimeWindow(DateTime Start, DateTime End, SfError? Error);

    static TimeWindow Window(string version, string type, string? start, string? end, TimeProvider time, out Domain.Metadata.ObjectMetadata obj)
    {
        obj = null!;
        var v = SfRequest.Version(version);
        if (!v.IsOk) return new(default, default, SfError.From(v.Error));
        if (SfRequest.Object(type, out obj) is { } unknown) return new(default, default, unknown);
        if (!SObjectEndpoints.TryParseTime(start, out var from) || !SObjectEndpoints.TryParseTime(end, out var to))
            return new(default, default, new SfError(400, "INVALID_REPLICATION_DATE",
                "start and end are required ISO 8601 date-times, e.g. ?start=2026-11-01T00:00:00+00:00&end=2026-11-25T00:00:00+00:00"));
        if (to < from) return new(default, default, new SfError(400, "INVALID_REPLICATION_DATE", "end must not be before start."));
        var now = time.GetUtcNow().UtcDateTime;
        return new(from, to > now ? now : to, null);
    }
}
