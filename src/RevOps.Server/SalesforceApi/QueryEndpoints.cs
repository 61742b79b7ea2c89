using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using RevOps.Domain.Records;
using RevOps.Domain.Soql;

namespace RevOps.Server.SalesforceApi;

/// <summary>
/// query and queryAll: SOQL through the same engine as the soql_query tool, paged with
/// nextRecordsUrl. The locator carries the query and where the next page starts, so any node
/// can serve the next page and nothing is held in memory between calls.
/// </summary>
public static class QueryEndpoints
{
    public const int DefaultBatchSize = 2000;
    public const int MinBatchSize = 200;

    public static void Map(RouteGroupBuilder data)
    {
        data.MapGet("/query", (HttpContext http, string version, string? q, SoqlService soql, CancellationToken ct) => QueryAsync(http, version, q, includeDeleted: false, soql, ct));
        data.MapGet("/queryAll", (HttpContext http, string version, string? q, SoqlService soql, CancellationToken ct) => QueryAsync(http, version, q, includeDeleted: true, soql, ct));
        data.MapGet("/query/{locator}", (HttpContext http, string version, string locator, SoqlService soql, CancellationToken ct) => MoreAsync(http, version, locator, soql, ct));
        data.MapGet("/queryAll/{locator}", (HttpContext http, string version, string locator, SoqlService soql, CancellationToken ct) => MoreAsync(http, version, locator, soql, ct));
    }

    internal static async Task<IResult> QueryAsync(HttpContext http, string version, string? q, bool includeDeleted, SoqlService soql, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        if (string.IsNullOrWhiteSpace(q))
            return SfJson.Error(new SfError(400, "MALFORMED_QUERY", "A query needs q=<SOQL>, e.g. ?q=SELECT+Id,Name+FROM+Account"));
        return await PageAsync(http, v.Value, new Locator(q, includeDeleted, 0), soql, ct);
    }

    static async Task<IResult> MoreAsync(HttpContext http, string version, string locator, SoqlService soql, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        return Locator.TryDecode(locator) is { } parsed
            ? await PageAsync(http, v.Value, parsed, soql, ct)
            : SfJson.Error(new SfError(400, "INVALID_QUERY_LOCATOR", "invalid query locator"));
    }

    static async Task<IResult> PageAsync(HttpContext http, string version, Locator locator, SoqlService soql, CancellationToken ct)
    {
        int batch = BatchSize(http.Request.Headers["Sforce-Query-Options"].ToString());
        var page = await soql.QueryAsync(SfRequest.Caller(http), locator.Query, locator.IncludeDeleted, locator.Offset, batch, ct);
        if (!page.IsOk) return SfJson.Error(SfError.From(page.Error));
        var result = page.Value;
        int next = locator.Offset + result.Records.Count;
        bool done = result.IsCountOnly || result.IsAggregate || next >= result.TotalSize || result.Records.Count == 0;
        return SfJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("totalSize", result.TotalSize);
            w.WriteBoolean("done", done);
            if (!done) w.WriteString("nextRecordsUrl", $"/services/data/v{version}/{(locator.IncludeDeleted ? "queryAll" : "query")}/{(locator with { Offset = next }).Encode()}");
            w.WriteStartArray("records");
            foreach (var row in result.Records) WriteRow(w, version, row);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>Sforce-Query-Options: batchSize=N, honoured exactly between 200 and 2000.</summary>
    static int BatchSize(string header)
    {
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
            if (part.StartsWith("batchSize=", StringComparison.OrdinalIgnoreCase) && int.TryParse(part.AsSpan("batchSize=".Length), out int size))
                return Math.Clamp(size, MinBatchSize, DefaultBatchSize);
        return DefaultBatchSize;
    }

    /// <summary>A row as Salesforce writes it: attributes, then the selected fields in SELECT order, parents nested, children as query results.</summary>
    internal static void WriteRow(Utf8JsonWriter w, string version, SoqlRow row)
    {
        w.WriteStartObject();
        if (row.Object is null)
        {
            w.WriteStartObject("attributes");
            w.WriteString("type", "AggregateResult");
            w.WriteEndObject();
        }
        else
        {
            SfJson.WriteAttributes(w, version, row.Object, row.Id);
        }
        foreach (var (name, value) in row.Fields)
        {
            w.WritePropertyName(name);
            switch (value)
            {
                case SoqlRow parent:
                    WriteRow(w, version, parent);
                    break;
                case SoqlChildren children:
                    w.WriteStartObject();
                    w.WriteNumber("totalSize", children.TotalSize);
                    w.WriteBoolean("done", true);
                    w.WriteStartArray("records");
                    foreach (var child in children.Records) WriteRow(w, version, child);
                    w.WriteEndArray();
                    w.WriteEndObject();
                    break;
                default:
                    ValueJson.Write(w, value);
                    break;
            }
        }
        w.WriteEndObject();
    }

    /// <summary>The query, whether it includes deleted rows, and the next row: base64url JSON, opaque to clients and free of '/', '?' and '#'.</summary>
    sealed record Locator(string Query, bool IncludeDeleted, int Offset)
    {
        public string Encode()
        {
            string json = SfJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("q", Query);
                w.WriteBoolean("a", IncludeDeleted);
                w.WriteNumber("o", Offset);
                w.WriteEndObject();
            });
            return "01g" + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        }

        public static Locator? TryDecode(string locator)
        {
            if (!locator.StartsWith("01g", StringComparison.Ordinal)) return null;
            try
            {
                using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(locator.AsSpan(3)));
                var root = document.RootElement;
                return root.TryGetProperty("q", out var q) && q.ValueKind == JsonValueKind.String
                    && root.TryGetProperty("a", out var a) && a.ValueKind is JsonValueKind.True or JsonValueKind.False
                    && root.TryGetProperty("o", out var o) && o.TryGetInt32(out int offset) && offset >= 0
                    ? new Locator(q.GetString()!, a.GetBoolean(), offset)
                    : null;
            }
            catch (Exception e) when (e is FormatException or JsonException)
            {
                return null;
            }
        }
    }
}
