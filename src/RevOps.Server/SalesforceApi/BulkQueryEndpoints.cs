using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using RevOps.Domain.BulkJobs;
using BulkLimits = RevOps.Domain.BulkJobs.BulkJobs;
using RevOps.Domain.Ids;
using RevOps.Domain.Soql;
using RevOps.Server.BulkJobs;

namespace RevOps.Server.SalesforceApi;

/// <summary>
/// Bulk API 2.0 query (/jobs/query): a job runs its SOQL in the background and stores the rows; GET …/results serves them as CSV
/// pages of maxRecords rows (2,000 unless asked), with Sforce-NumberOfRecords and Sforce-Locator (the next page, or "null" on the
/// last, which is what jsforce loops until).
/// </summary>
public static partial class BulkQueryEndpoints
{
    const int DefaultPage = BulkLimits.ResultPartRows;

    public static void Map(RouteGroupBuilder data)
    {
        data.MapPost("/jobs/query", CreateAsync);
        BulkJobRoutes.MapShared(data, "/jobs/query", BulkJobKind.Query);
        data.MapGet("/jobs/query/{id}/results", ResultsAsync);
    }

    [GeneratedRegex(@"\bFROM\s+([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.IgnoreCase)]
    private static partial Regex FromObject();

    static async Task<IResult> CreateAsync(HttpContext http, string version, IBulkJobStore store, SoqlService soql, IdGenerator ids, BulkJobSignal signal, TimeProvider time, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var (body, bad) = await SfRequest.BodyAsync(http.Request, ct);
        if (bad is not null) return SfJson.Error(bad);
        var caller = SfRequest.Caller(http);
        string? operation = BulkJobRoutes.Text(body, "operation") ?? "query", query = BulkJobRoutes.Text(body, "query");
        if (!BulkLimits.QueryOperations.Contains(operation)) return SfJson.Error(BulkJobRoutes.InvalidJob($"operation must be query or queryAll; got '{operation}'."));
        if (string.IsNullOrWhiteSpace(query)) return SfJson.Error(BulkJobRoutes.InvalidJob("query is required: the SOQL to run, e.g. SELECT Id, Name FROM Account."));
        var format = BulkLimits.Format(BulkJobRoutes.Text(body, "columnDelimiter"), BulkJobRoutes.Text(body, "lineEnding"));
        if (!format.IsOk) return SfJson.Error(BulkJobRoutes.InvalidJob(format.Error.Message));
        // The query is checked now, so a mistake is answered here and not by a failed job later.
        var check = await soql.QueryAsync(caller, query, operation == "queryAll", 0, 1, ct);
        if (!check.IsOk) return SfJson.Error(SfError.From(check.Error) with { Status = 400 });
        var now = time.GetUtcNow().UtcDateTime;
        string obj = FromObject().Match(query) is { Success: true } m ? m.Groups[1].Value : "";
        var job = new BulkJob(ids.NewId("750"), BulkJobKind.Query, obj, operation, null, format.Value.Delimiter, format.Value.LineEnding, query,
            BulkJobState.UploadComplete, null, caller.ActorId, caller.ActorName, caller.KeyId, caller.Scopes, v.Value, null, 0, 0, 0, 0, 0, 0, 0, now, now, null, null);
        await store.CreateAsync(caller.Tenant, job, ct);
        signal.Pulse();
        return BulkJobJson.Info(job);
    }

    static async Task<IResult> ResultsAsync(HttpContext http, string version, string id, string? locator, string? maxRecords, IBulkJobStore store, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var caller = SfRequest.Caller(http);
        var job = await store.GetAsync(caller.Tenant, id, ct);
        if (job is null || job.Kind != BulkJobKind.Query) return SfJson.Error(BulkJobRoutes.NoJob(id));
        if (job.State != BulkJobState.JobComplete)
            return SfJson.Error(new SfError(400, "INVALIDJOBSTATE", $"Job {id} is {job.State}: its results can be read once it is JobComplete. Poll the job until then."));
        int pageSize = DefaultPage;
        if (maxRecords is not null && (!int.TryParse(maxRecords, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1))
            return SfJson.Error(new SfError(400, "INVALIDPARAMETER", $"maxRecords must be a whole number above 0; got '{(maxRecords.Length > 20 ? maxRecords[..20] : maxRecords)}'."));
        long offset = 0;
        if (!string.IsNullOrEmpty(locator) && locator != "null" && !TryDecode(locator, out offset))
            return SfJson.Error(new SfError(400, "INVALIDLOCATOR", "The locator is not one this job gave. Use the Sforce-Locator header of the previous results page, or none for the first page."));
        long end = Math.Min(job.RowsTotal, offset + pageSize);
        int fromPart = (int)(offset / BulkLimits.ResultPartRows), toPart = (int)((Math.Max(end, offset + 1) - 1) / BulkLimits.ResultPartRows) + 1;
        var header = await store.PartsAsync(caller.Tenant, id, BulkPartKind.Result, -1, 0, ct);

        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/csv; charset=UTF-8";
        http.Response.Headers["Sforce-NumberOfRecords"] = Math.Max(0, end - offset).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["Sforce-Locator"] = end < job.RowsTotal ? Encode(end) : "null";
        var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 1 << 16);
        await using (writer)
        {
            // Salesforce heads every page; jsforce, which never sends maxRecords, parses all pages as one CSV stream. So a page
            // asked for with maxRecords, or the first, has the header; a later page of a walk without maxRecords does not.
            bool continuation = offset > 0 && maxRecords is null;
            if (job.RowsTotal > 0 && header.Count > 0 && !continuation) await writer.WriteAsync(header[0].Body);
            for (int seq = fromPart; seq < toPart && offset < end; seq += 10)
                foreach (var part in await store.PartsAsync(caller.Tenant, id, BulkPartKind.Result, seq, Math.Min(seq + 10, toPart), ct))
                {
                    long partStart = (long)part.Seq * BulkLimits.ResultPartRows;
                    var lines = BulkDataPart.DecodeStrings(part.Body);
                    for (int i = (int)Math.Max(0, offset - partStart); i < lines.Count && partStart + i < end; i++) await writer.WriteAsync(lines[i]);
                }
        }
        return Results.Empty;
    }

    /// <summary>The next row as Salesforce spells its locators: the offset in base64.</summary>
    static string Encode(long offset) => Convert.ToBase64String(Encoding.ASCII.GetBytes(offset.ToString(CultureInfo.InvariantCulture)));

    static bool TryDecode(string locator, out long offset)
    {
        offset = 0;
        var bytes = new byte[locator.Length];
        return locator.Length <= 32 && Convert.TryFromBase64String(locator, bytes, out int written)
            && long.TryParse(Encoding.ASCII.GetString(bytes, 0, written), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }
}
