using RevOps.Domain;
using RevOps.Domain.Schema;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

/// <summary>find_records: filter, sort and page any object, custom fields included; also lists the recycle bin.</summary>
public sealed class FindRecordsTool(RecordService records, SchemaService schemas) : IToolArea
{
    public IEnumerable<CrmTool> Tools()
    {
        yield return Read("find_records", "Find records",
            "List records of any object by field filters, sorted and paged, e.g. {\"object\":\"Lead\",\"where\":{\"Status\":\"Open - Not Contacted\"}}. " +
            "A record's files: ContentDocumentLink where LinkedEntityId.",
            SearchBuilder.PagingParams(new ToolSchema().ObjectParam(required: true, null, Domain.Metadata.StandardObjects.ContentDocumentLink)
                .Param(WhereArgument.Name, "object", WhereArgument.Help)
                .Param("order_by", "string", "Default CreatedDate, newest first.")
                .Param("descending", "boolean", null)
                .Param("deleted", "boolean", "List the recycle bin instead.")),
            async (caller, args, ct) =>
            {
                var obj = ObjectArgument.Read(args, await schemas.GetAsync(caller.Tenant, ct));
                if (!obj.IsOk) return ToolResults.Error(obj.Error);
                var schema = await schemas.GetAsync(caller.Tenant, obj.Value, ct);
                var query = new SearchBuilder(obj.Value, "find_records", args, orderBy: "CreatedDate", descending: true);
                var where = args.Object(WhereArgument.Name);
                if (!where.IsOk) return ToolResults.Error(where.Error);
                if (where.Value is { } json)
                {
                    var conditions = WhereArgument.Parse(schema, json);
                    if (!conditions.IsOk) return ToolResults.Error(conditions.Error);
                    foreach (var anyOf in conditions.Value) query.Add(anyOf);
                }
                var orderBy = args.String("order_by");
                if (!orderBy.IsOk) return ToolResults.Error(orderBy.Error);
                Domain.Metadata.FieldMetadata? orderField = null;
                if (!string.IsNullOrWhiteSpace(orderBy.Value))
                {
                    var field = WhereArgument.ResolveField(schema, orderBy.Value.Trim(), "order_by");
                    if (!field.IsOk) return ToolResults.Error(field.Error);
                    if (!field.Value.Sortable)
                        return ToolResults.Error(new Domain.Errors.CrmError(Domain.Errors.ErrorCodes.InvalidField, $"order_by: {obj.Value.Name}.{field.Value.Name} cannot be sorted on.", "order_by"));
                    orderField = field.Value;
                }
                var descending = args.Bool("descending", orderField is null);
                if (!descending.IsOk) return ToolResults.Error(descending.Error);
                var deleted = args.Bool("deleted");
                if (!deleted.IsOk) return ToolResults.Error(deleted.Error);
                return await query.RunAsync(records, schema, caller, ct, orderField, descending.Value, deleted.Value);
            });
    }
}
