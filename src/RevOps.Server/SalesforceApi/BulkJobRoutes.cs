using System.Text.Json;
using RevOps.Domain.BulkJobs;
using RevOps.Server.BulkJobs;

namespace RevOps.Server.SalesforceApi;

/// <summary>What ingest and query jobs share: get, list, state changes, delete, and Salesforce's job errors.</summary>
public static class BulkJobRoutes
{
    public static SfError InvalidJob(string message) => new(400, "INVALIDJOB", message);

    public static SfError InvalidBatch(string message) => new(400, "INVALIDBATCH", message);

    /// <summary>Another tenant's job is as absent as a job that never was.</summary>
    public static SfError NoJob(string id) => SfError.NotFound($"Job {(id.Length > 40 ? id[..40] + "…" : id)} does not exist in this org. Check the job id (750…) returned when the job was created.");

    /// <summary>The routes every job of <paramref name="kind"/> has under <paramref name="prefix"/>: list, get, state change and delete.</summary>
    public static void MapShared(RouteGroupBuilder data, string prefix, BulkJobKind kind)
    {
        data.MapGet(prefix, (HttpContext http, string version, IBulkJobStore store, CancellationToken ct) => ListAsync(http, version, kind, store, ct));
        data.MapGet(prefix + "/{id}", (HttpContext http, string version, string id, IBulkJobStore store, CancellationToken ct) => GetAsync(http, version, id, kind, store, ct));
        data.MapPatch(prefix + "/{id}", (HttpContext http, string version, string id, IBulkJobStore store, BulkJobSignal signal, TimeProvider time, CancellationToken ct) =>
            PatchAsync(http, version, id, kind, store, signal, time, ct));
        data.MapDelete(prefix + "/{id}", (HttpContext http, string version, string id, IBulkJobStore store, CancellationToken ct) => DeleteAsync(http, version, id, kind, store, ct));
    }

    public static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static async Task<IResult> GetAsync(HttpContext http, string version, string id, BulkJobKind kind, IBulkJobStore store, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var job = await store.GetAsync(SfRequest.Caller(http).Tenant, id, ct);
        return job is null || job.Kind != kind ? SfJson.Error(NoJob(id)) : BulkJobJson.Info(job);
    }

    public static async Task<IResult> ListAsync(HttpContext http, string version, BulkJobKind kind, IBulkJobStore store, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        return BulkJobJson.List(await store.ListAsync(SfRequest.Caller(http).Tenant, kind, 1000, ct));
    }

    /// <summary>{"state": "UploadComplete"} closes an Open ingest job (the runner takes it); {"state": "Aborted"} stops a job not yet finished.</summary>
    public static async Task<IResult> PatchAsync(HttpContext http, string version, string id, BulkJobKind kind, IBulkJobStore store, BulkJobSignal signal, TimeProvider time, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var (body, bad) = await SfRequest.BodyAsync(http.Request, ct);
        if (bad is not null) return SfJson.Error(bad);
        var caller = SfRequest.Caller(http);
        var job = await store.GetAsync(caller.Tenant, id, ct);
        if (job is null || job.Kind != kind) return SfJson.Error(NoJob(id));
        string? state = Text(body, "state");
        string[] from = state switch
        {
            BulkJobState.UploadComplete when kind == BulkJobKind.Ingest => [BulkJobState.Open],
            BulkJobState.Aborted => [BulkJobState.Open, BulkJobState.UploadComplete, BulkJobState.InProgress],
            _ => [],
        };
        if (from.Length == 0)
            return SfJson.Error(new SfError(400, "INVALIDJOBSTATE", kind == BulkJobKind.Ingest
                ? $"state must be UploadComplete (to close the job for processing) or Aborted; got '{state}'."
                : $"state must be Aborted; got '{state}'."));
        var changed = await store.SetStateAsync(caller.Tenant, id, from, state!, null, time.GetUtcNow().UtcDateTime, ct);
        if (changed is null)
            return SfJson.Error(new SfError(409, "INVALIDJOBSTATE", $"Job {id} is {job.State}; it can become {state} only from {string.Join(" or ", from)}."));
        if (state == BulkJobState.UploadComplete) signal.Pulse();
        return BulkJobJson.Info(changed);
    }

    /// <summary>Deletes a job and its data; a job being processed is aborted first.</summary>
    public static async Task<IResult> DeleteAsync(HttpContext http, string version, string id, BulkJobKind kind, IBulkJobStore store, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var caller = SfRequest.Caller(http);
        var job = await store.GetAsync(caller.Tenant, id, ct);
        if (job is null || job.Kind != kind) return SfJson.Error(NoJob(id));
        if (job.State is BulkJobState.InProgress or BulkJobState.Open && kind == BulkJobKind.Ingest || job.State == BulkJobState.InProgress)
            return SfJson.Error(new SfError(409, "INVALIDJOBSTATE", $"Job {id} is {job.State}: abort it first (PATCH state Aborted), then delete it."));
        await store.DeleteAsync(caller.Tenant, id, ct);
        return Results.NoContent();
    }
}
