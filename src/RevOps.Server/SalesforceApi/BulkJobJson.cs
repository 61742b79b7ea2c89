using System.Text.Json;
using RevOps.Domain.BulkJobs;
using RevOps.Domain.Records;

namespace RevOps.Server.SalesforceApi;

/// <summary>Job info as Salesforce's Bulk API 2.0 writes it: for create, get, state changes and the job list.</summary>
public static class BulkJobJson
{
    public static void Write(Utf8JsonWriter w, BulkJob job, bool full = true)
    {
        w.WriteStartObject();
        w.WriteString("id", job.Id);
        w.WriteString("operation", job.Operation);
        w.WriteString("object", job.Object);
        w.WriteString("createdById", job.ActorId);
        w.WriteString("createdDate", ValueJson.FormatDateTime(job.CreatedAt));
        w.WriteString("systemModstamp", ValueJson.FormatDateTime(job.UpdatedAt));
        w.WriteString("state", job.State);
        if (job.ExternalIdField is { } external) w.WriteString("externalIdFieldName", external);
        w.WriteString("concurrencyMode", "Parallel");
        w.WriteString("contentType", "CSV");
        w.WriteNumber("apiVersion", double.Parse(job.ApiVersion, System.Globalization.CultureInfo.InvariantCulture));
        if (job.Kind == BulkJobKind.Ingest && job.State == BulkJobState.Open) w.WriteString("contentUrl", $"services/data/v{job.ApiVersion}/jobs/ingest/{job.Id}/batches");
        w.WriteString("jobType", job.Kind == BulkJobKind.Ingest ? "V2Ingest" : "V2Query");
        w.WriteString("lineEnding", job.LineEnding);
        w.WriteString("columnDelimiter", job.ColumnDelimiter);
        if (full)
        {
            w.WriteNumber("numberRecordsProcessed", job.Processed);
            if (job.Kind == BulkJobKind.Ingest) w.WriteNumber("numberRecordsFailed", job.Failed);
            w.WriteNumber("retries", job.Retries);
            long ms = job.StartedAt is { } started ? (long)((job.FinishedAt ?? job.UpdatedAt) - started).TotalMilliseconds : 0;
            w.WriteNumber("totalProcessingTime", Math.Max(0, ms));
            if (job.Kind == BulkJobKind.Ingest)
            {
                w.WriteNumber("apiActiveProcessingTime", Math.Max(0, ms));
                w.WriteNumber("apexProcessingTime", 0);
            }
            if (job.ErrorMessage is { } error) w.WriteString("errorMessage", error);
        }
        w.WriteEndObject();
    }

    public static IResult Info(BulkJob job, int status = 200) => SfJson.Ok(w => Write(w, job), status);

    public static IResult List(IReadOnlyList<BulkJob> jobs) => SfJson.Ok(w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("done", true);
        w.WriteStartArray("records");
        foreach (var job in jobs) Write(w, job, full: false);
        w.WriteEndArray();
        w.WriteNull("nextRecordsUrl");
        w.WriteEndObject();
    });
}
