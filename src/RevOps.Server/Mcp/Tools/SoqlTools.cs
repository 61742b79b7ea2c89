using System.Text.Json;
using ModelContextProtocol.Protocol;
using RevOps.Domain.Records;
using RevOps.Domain.Soql;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

/// <summary>soql_query: read-only SOQL over every object, with parent paths, child subqueries and aggregates.</summary>
public sealed class SoqlTools(SoqlService soql) : IToolArea
{
    public const int DefaultPageSize = 200;

    public IEnumerable<CrmTool> Tools()
    {
        yield return Read("soql_query", "Run a SOQL query",
            "Salesforce SOQL SELECT: parent fields (Account.Name), child subqueries, COUNT/SUM with GROUP BY, AND/OR, date literals (THIS_QUARTER, LAST_N_DAYS:30), " +
            "__c fields. E.g. \"SELECT Name, Account.Name, (SELECT Subject FROM Tasks) FROM Contact WHERE CreatedDate = LAST_N_DAYS:30\". Pages with nextCursor.",
            new ToolSchema()
                .Param("query", "string", null, required: true)
                .Param("include_deleted", "boolean", "Recycle bin too (queryAll).")
                .Param("limit", "integer", $"Rows per page (default {DefaultPageSize}).", minimum: 1, maximum: SoqlService.MaxPageSize)
                .Param(PageCursor.Argument, "string", "nextCursor of the previous page (same query)."),
            async (caller, args, ct) =>
            {
                var query = args.String("query");
                if (!query.IsOk) return ToolResults.Error(query.Error);
                if (string.IsNullOrWhiteSpace(query.Value))
                    return ToolResults.Error(new Domain.Errors.CrmError(Domain.Errors.ErrorCodes.InvalidArgument, "soql_query needs 'query', e.g. \"SELECT Id, Name FROM Account LIMIT 10\".", "query"));
                var deleted = args.Bool("include_deleted");
                if (!deleted.IsOk) return ToolResults.Error(deleted.Error);
                var limit = args.Int("limit", DefaultPageSize);
                if (!limit.IsOk) return ToolResults.Error(limit.Error);
                if (limit.Value is < 1 or > SoqlService.MaxPageSize)
                    return ToolResults.Error(new Domain.Errors.CrmError(Domain.Errors.ErrorCodes.InvalidArgument, $"limit must be between 1 and {SoqlService.MaxPageSize}; got {limit.Value}.", "limit"));
                string fingerprint = PageCursor.Fingerprint("soql_query", args);
                var cursor = PageCursor.Decode(args.String(PageCursor.Argument) is { IsOk: true } c ? c.Value : null, fingerprint);
                if (!cursor.IsOk) return ToolResults.Error(cursor.Error);

                var page = await soql.QueryAsync(caller, query.Value, deleted.Value, cursor.Value.Offset, limit.Value, ct);
                if (!page.IsOk) return ToolResults.Error(page.Error);
                int end = cursor.Value.Offset + page.Value.Records.Count;
                bool hasMore = !page.Value.IsAggregate && !page.Value.IsCountOnly && end < page.Value.TotalSize;
                return Page(page.Value, hasMore ? PageCursor.Encode(end, page.Value.TotalSize, fingerprint) : null);
            });
    }

    static CallToolResult Page(SoqlPage page, string? nextCursor) => ToolResults.FromJson(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("totalSize", page.TotalSize);
        w.WriteNumber("count", page.Records.Count);
        w.WriteBoolean("hasMore", nextCursor is not null);
        if (nextCursor is not null) w.WriteString("nextCursor", nextCursor);
        w.WriteStartArray("records");
        foreach (var row in page.Records) WriteRow(w, row);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>A row as a plain object: selected fields in SELECT order, nulls included, no attributes.</summary>
    static void WriteRow(Utf8JsonWriter w, SoqlRow row)
    {
        w.WriteStartObject();
        foreach (var (name, value) in row.Fields)
        {
            w.WritePropertyName(name);
            switch (value)
            {
                case SoqlRow parent:
                    WriteRow(w, parent);
                    break;
                case SoqlChildren children:
                    w.WriteStartObject();
                    w.WriteNumber("totalSize", children.TotalSize);
                    w.WriteStartArray("records");
                    foreach (var child in children.Records) WriteRow(w, child);
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
}
