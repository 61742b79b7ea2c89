using System.Buffers;
using System.Text.Json;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;

namespace RevOps.Server.SalesforceApi;

/// <summary>
/// JSON as Salesforce's REST API writes it: records with "attributes", every field present
/// (nulls explicit) on retrieve, error arrays, save results. Every body is sent as
/// application/json;charset=UTF-8, which is what jsforce checks before parsing.
/// </summary>
public static class SfJson
{
    public const string ContentType = "application/json;charset=UTF-8";

    static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IResult Ok(Action<Utf8JsonWriter> write, int status = 200) => Results.Text(Write(write), ContentType, System.Text.Encoding.UTF8, status);

    public static IResult Error(SfError error) => Errors([error], error.Status);

    public static IResult Errors(IReadOnlyList<SfError> errors, int status)
    {
        foreach (var error in errors) Observability.RequestMetrics.Error(SfRequest.Channel, error.ErrorCode);
        return Ok(w => WriteErrorArray(w, errors), status);
    }

    /// <summary>[{"message", "errorCode", "fields"}, …]</summary>
    public static void WriteErrorArray(Utf8JsonWriter w, IReadOnlyList<SfError> errors)
    {
        w.WriteStartArray();
        foreach (var error in errors)
        {
            w.WriteStartObject();
            w.WriteString("message", error.Message);
            w.WriteString("errorCode", error.ErrorCode);
            w.WriteStartArray("fields");
            foreach (var field in error.Fields ?? []) w.WriteStringValue(field);
            w.WriteEndArray();
            SfDuplicates.WriteResult(w, error);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Options)) write(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string RecordUrl(string version, string objectName, string id) => $"/services/data/v{version}/sobjects/{objectName}/{id}";

    public static void WriteAttributes(Utf8JsonWriter w, string version, string objectName, string? id)
    {
        w.WriteStartObject("attributes");
        w.WriteString("type", objectName);
        if (id is not null) w.WriteString("url", RecordUrl(version, objectName, id));
        w.WriteEndObject();
    }

    /// <summary>A retrieved record: attributes, then every field of the tenant's schema (or just <paramref name="only"/> plus Id), nulls included.</summary>
    public static void WriteRecord(Utf8JsonWriter w, string version, ObjectSchema schema, Record record, IReadOnlyCollection<FieldMetadata>? only = null)
    {
        w.WriteStartObject();
        WriteAttributes(w, version, schema.Object.Name, record.Id);
        if (only is not null && !only.Any(f => f.Name == "Id")) w.WriteString("Id", record.Id);
        foreach (var field in only ?? schema.AllFields.ToArray())
        {
            w.WritePropertyName(field.Name);
            WriteValue(w, record, field);
        }
        // As Salesforce: a version's bytes are not in the record, VersionData is where to fetch them.
        if (only is null && schema.Object == StandardObjects.ContentVersion)
            w.WriteString("VersionData", RecordUrl(version, schema.Object.Name, record.Id) + "/VersionData");
        w.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter w, Record record, FieldMetadata field)
    {
        if (field.Custom)
        {
            if (record.Custom.TryGetValue(field.Name, out var json)) json.WriteTo(w);
            else w.WriteNullValue();
            return;
        }
        ValueJson.Write(w, record[field.Name]);
    }

    /// <summary>{"id", "success", "errors"} of a create (and, for upserts, "created").</summary>
    public static void WriteSaveResult(Utf8JsonWriter w, string? id, IReadOnlyList<SfError> errors, bool? created = null, bool collection = false,
        IReadOnlyList<Domain.Writes.DuplicateMatch>? possibleDuplicates = null)
    {
        w.WriteStartObject();
        if (id is not null) w.WriteString("id", id);
        w.WriteBoolean("success", errors.Count == 0);
        w.WriteStartArray("errors");
        foreach (var error in errors)
        {
            w.WriteStartObject();
            // Collections name the code statusCode; single-record answers errorCode.
            w.WriteString(collection ? "statusCode" : "errorCode", error.ErrorCode);
            w.WriteString("message", error.Message);
            w.WriteStartArray("fields");
            foreach (var field in error.Fields ?? []) w.WriteStringValue(field);
            w.WriteEndArray();
            SfDuplicates.WriteResult(w, error);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (created is { } c) w.WriteBoolean("created", c);
        if (errors.Count == 0) Json.DuplicateJson.Write(w, possibleDuplicates);
        w.WriteEndObject();
    }
}
