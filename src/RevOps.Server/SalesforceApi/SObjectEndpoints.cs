using System.Globalization;
using System.Text.Json;
using RevOps.Domain;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Domain.Schema;
using RevOps.Domain.Writes;

namespace RevOps.Server.SalesforceApi;

/// <summary>sobjects: describeGlobal, an object's info and describe, and single-record create, retrieve, update, delete and upsert.</summary>
public static class SObjectEndpoints
{
    public static void Map(RouteGroupBuilder data)
    {
        data.MapGet("/sobjects", DescribeGlobal);
        data.MapGet("/sobjects/{type}", ObjectInfoAsync);
        data.MapPost("/sobjects/{type}", CreateAsync);
        data.MapGet("/sobjects/{type}/describe", DescribeAsync);
        data.MapGet("/sobjects/{type}/{id}", RetrieveAsync);
        data.MapPatch("/sobjects/{type}/{id}", UpdateAsync);
        data.MapDelete("/sobjects/{type}/{id}", DeleteAsync);
        data.MapGet("/sobjects/{type}/{field}/{value}", GetByExternalIdAsync);
        data.MapPatch("/sobjects/{type}/{field}/{value}", UpsertAsync);
        data.MapMethods("/sobjects/{type}/{id}", ["PUT", "POST"], (HttpContext http) =>
            SfJson.Error(SfError.MethodNotAllowed(http.Request.Method, "GET,PATCH,DELETE")));
    }

    static async Task<IResult> DescribeGlobal(HttpContext http, string version, SchemaService schemas, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var tenant = await schemas.GetAsync(SfRequest.Caller(http).Tenant, ct);
        return SfJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("encoding", "UTF-8");
            w.WriteNumber("maxBatchSize", 200);
            w.WriteStartArray("sobjects");
            foreach (var obj in tenant.Objects) SfDescribe.WriteGlobalEntry(w, v.Value, obj);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    internal static async Task<IResult> ObjectInfoAsync(HttpContext http, string version, string type, RecordService records, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var (obj, unknownType) = await SfRequest.ObjectAsync(http, type, ct);
        if (unknownType is not null) return SfJson.Error(unknownType);
        var recent = await records.RecentAsync(SfRequest.Caller(http), obj, 10, ct);
        return SfJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("objectDescribe");
            SfDescribe.WriteGlobalEntry(w, v.Value, obj);
            w.WriteStartArray("recentItems");
            foreach (var record in recent)
            {
                w.WriteStartObject();
                SfJson.WriteAttributes(w, v.Value, obj.Name, record.Id);
                w.WriteString("Id", record.Id);
                if (record.DisplayName is { } name) w.WriteString(obj.TryGetField("Name", out _) ? "Name" : "Subject", name);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    internal static async Task<IResult> DescribeAsync(HttpContext http, string version, string type, SchemaService schemas, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var (obj, unknownType) = await SfRequest.ObjectAsync(http, type, ct);
        if (unknownType is not null) return SfJson.Error(unknownType);
        var tenant = await schemas.GetAsync(SfRequest.Caller(http).Tenant, ct);
        return SfJson.Ok(w => SfDescribe.WriteDescribe(w, v.Value, tenant.For(obj), tenant));
    }

    internal static async Task<IResult> CreateAsync(HttpContext http, string version, string type, RecordService records, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var (obj, unknownType) = await SfRequest.ObjectAsync(http, type, ct);
        if (unknownType is not null) return SfJson.Error(unknownType);
        var (body, bad) = await SfRequest.BodyAsync(http.Request, ct);
        if (bad is not null) return SfJson.Error(bad);
        var duplicates = SfDuplicates.Read(http);
        if (!duplicates.IsOk) return SfJson.Error(SfError.From(duplicates.Error));
        var created = await records.CreateAsync(SfRequest.Caller(http), obj, SfRequest.Fields(body, skipId: true), duplicates.Value, ct);
        if (!created.IsOk) return SfJson.Error(SfError.From(created.Error) with { Object = obj.Name });
        return SfJson.Ok(w => SfJson.WriteSaveResult(w, created.Value.Record.Id, [], possibleDuplicates: created.Value.PossibleDuplicates), StatusCodes.Status201Created);
    }

    internal static async Task<IResult> RetrieveAsync(HttpContext http, string version, string type, string id, string? fields, RecordService records, SchemaService schemas, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var (obj, unknownType) = await SfRequest.ObjectAsync(http, type, ct);
        if (unknownType is not null) return SfJson.Error(unknownType);
        if (!SalesforceId.TryNormalize(id, out var normalized))
            return SfJson.Error(SfError.NotFound($"Provided external ID field does not exist or is not accessible: {id}"));
        var caller = SfRequest.Caller(http);
        var schema = await schemas.GetAsync(caller.Tenant, obj, ct);
        var selected = SelectFields(schema, fields);
        if (selected.Error is not null) return SfJson.Error(selected.Error);
        if (SalesforceId.KeyPrefix(normalized) != obj.KeyPrefix) return SfJson.Error(SfError.NotFound());
        var record = await records.GetAsync(caller, obj, normalized, ct);
        if (!record.IsOk) return SfJson.Error(SfError.NotFound());
        return SfJson.Ok(w => SfJson.WriteRecord(w, v.Value, schema, record.Value, selected.Fields));
    }

    internal static async Task<IResult> UpdateAsync(HttpContext http, string version, string type, string id, RecordService records, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var (obj, unknownType) = await SfRequest.ObjectAsync(http, type, ct);
        if (unknownType is not null) return SfJson.Error(unknownType);
        var (body, bad) = await SfRequest.BodyAsync(http.Request, ct);
        if (bad is not null) return SfJson.Error(bad);
        var updated = await records.UpdateAsync(SfRequest.Caller(http), obj, id, SfRequest.Fields(body, skipId: true), WriteOptions.Default, ct);
        return updated.IsOk ? Results.NoContent() : SfJson.Error(SfError.From(updated.Error));
    }

    internal static async Task<IResult> DeleteAsync(HttpContext http, string version, string type, string id, RecycleBin bin, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var (obj, unknownType) = await SfRequest.ObjectAsync(http, type, ct);
        if (unknownType is not null) return SfJson.Error(unknownType);
        var deleted = await bin.DeleteAsync(SfRequest.Caller(http), obj, id, dryRun: false, ct);
        if (deleted.IsOk) return Results.NoContent();
        return deleted.Error.Code == Domain.Errors.ErrorCodes.EntityIsDeleted
            ? SfJson.Error(new SfError(404, "ENTITY_IS_DELETED", "entity is deleted"))
            : SfJson.Error(SfError.From(deleted.Error));
    }

    internal static async Task<IResult> GetByExternalIdAsync(HttpContext http, string version, string type, string field, string value, string? fields,
        RecordService records, SchemaService schemas, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var (obj, unknownType) = await SfRequest.ObjectAsync(http, type, ct);
        if (unknownType is not null) return SfJson.Error(unknownType);
        var caller = SfRequest.Caller(http);
        var schema = await schemas.GetAsync(caller.Tenant, obj, ct);
        if (!schema.TryGetField(field, out var extField) || !extField.ExternalId)
            return SfJson.Error(SfError.NotFound($"Provided external ID field does not exist or is not accessible: {field}"));
        var selected = SelectFields(schema, fields);
        if (selected.Error is not null) return SfJson.Error(selected.Error);
        var matches = await records.FindByValueAsync(caller, schema, extField, Uri.UnescapeDataString(value), ct);
        if (!matches.IsOk) return SfJson.Error(SfError.From(matches.Error));
        return matches.Value.Count switch
        {
            0 => SfJson.Error(SfError.NotFound()),
            1 => SfJson.Ok(w => SfJson.WriteRecord(w, v.Value, schema, matches.Value[0], selected.Fields)),
            _ => MultipleChoices(v.Value, obj, matches.Value.Select(m => m.Id)),
        };
    }

    internal static async Task<IResult> UpsertAsync(HttpContext http, string version, string type, string field, string value, Upsert upsert, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var (obj, unknownType) = await SfRequest.ObjectAsync(http, type, ct);
        if (unknownType is not null) return SfJson.Error(unknownType);
        var (body, bad) = await SfRequest.BodyAsync(http.Request, ct);
        if (bad is not null) return SfJson.Error(bad);
        var result = await upsert.ByExternalIdAsync(SfRequest.Caller(http), obj, field, Uri.UnescapeDataString(value), SfRequest.Fields(body, skipId: true), ct);
        if (!result.IsOk) return SfJson.Error(SfError.From(result.Error));
        if (result.Value.Outcome is not { } outcome) return MultipleChoices(v.Value, obj, result.Value.Matches);
        if (result.Value.Created) return SfJson.Ok(w => SfJson.WriteSaveResult(w, outcome.Record.Id, [], created: true), StatusCodes.Status201Created);
        return ApiVersion.UpsertAnswersWithBody(v.Value)
            ? SfJson.Ok(w => SfJson.WriteSaveResult(w, outcome.Record.Id, [], created: false))
            : Results.NoContent();
    }

    /// <summary>[300] with the URLs of the records that matched, as Salesforce answers an ambiguous external id.</summary>
    static IResult MultipleChoices(string version, ObjectMetadata obj, IEnumerable<string> ids) => SfJson.Ok(w =>
    {
        w.WriteStartArray();
        foreach (var id in ids) w.WriteStringValue(SfJson.RecordUrl(version, obj.Name, id));
        w.WriteEndArray();
    }, StatusCodes.Status300MultipleChoices);

    /// <summary>?fields=A,B: those fields (validated against the tenant's schema), or null for all.</summary>
    internal static (IReadOnlyCollection<FieldMetadata>? Fields, SfError? Error) SelectFields(ObjectSchema schema, string? fields)
    {
        if (string.IsNullOrWhiteSpace(fields)) return (null, null);
        var selected = new List<FieldMetadata>();
        foreach (var name in fields.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!schema.TryGetField(name, out var field)) return (null, SfRequest.NoSuchColumn(name, schema.Object));
            if (!selected.Contains(field)) selected.Add(field);
        }
        return (selected, null);
    }

    internal static string Iso(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    internal static bool TryParseTime(string? text, out DateTime time)
    {
        time = default;
        return text is not null && FieldValues.TryParseDateTime(text.Replace(' ', '+'), out time);
    }
}
