using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using RevOps.Server.Json;

namespace RevOps.Server.Mcp.Framework;

/// <summary>
/// tools/list as one caller sees it: read-only keys get only the tools they may call, and the
/// create/update tools of an object carry the tenant's own custom fields as typed arguments;
/// ?toolsets= on the URL narrows the list to chosen groups.
/// </summary>
public static class TenantToolList
{
    /// <summary>The tools/list filter: narrows the SDK's list to the ?toolsets= groups, then to what the caller may see.</summary>
    public static McpRequestHandler<ListToolsRequestParams, ListToolsResult> Filter(McpRequestHandler<ListToolsRequestParams, ListToolsResult> next) =>
        async (request, ct) =>
        {
            var result = await next(request, ct);
            var selected = Toolsets.Selected(request.Services!.GetService<IHttpContextAccessor>()?.HttpContext?.Request.Query[Toolsets.Parameter].ToString());
            result.Tools = result.Tools.Where(t => selected(t.Name)).ToList();
            var caller = Auth.CallerResolver.Resolve(request.User, request.Services!);
            return caller is null
                ? result
                : await ForCallerAsync(result, caller, request.Server.ServerOptions, request.Services!.GetRequiredService<SchemaService>(), ct);
        };

    public static async ValueTask<ListToolsResult> ForCallerAsync(ListToolsResult result, Caller caller, McpServerOptions options, SchemaService schemas, CancellationToken ct)
    {
        var collection = options.ToolCollection;
        if (collection is null) return result;
        TenantSchema? schema = null;
        var tools = new List<Tool>(result.Tools.Count);
        foreach (var tool in result.Tools)
        {
            if (!collection.TryGetPrimitive(tool.Name, out var primitive) || primitive is not CrmTool crm)
            {
                tools.Add(tool);
                continue;
            }
            if (crm.Writes && !caller.CanWrite) continue;
            if (crm.CustomFieldsOf is not { } obj)
            {
                tools.Add(tool);
                continue;
            }
            schema ??= await schemas.GetAsync(caller.Tenant, ct);
            var custom = schema.For(obj).CustomFields;
            tools.Add(custom.Count == 0 ? tool : WithCustomFields(tool, obj, custom));
        }
        schema ??= await schemas.GetAsync(caller.Tenant, ct);
        result.Tools = schema.CustomObjects.Count == 0 ? tools : tools.Select(t => WithCustomObjects(t, schema.CustomObjects)).ToList();
        return result;
    }

    /// <summary>An `object` argument that lists the objects it takes lists the tenant's custom objects too (Invoice__c).</summary>
    static Tool WithCustomObjects(Tool tool, IReadOnlyList<Domain.Metadata.ObjectMetadata> custom)
    {
        if (!tool.InputSchema.TryGetProperty("properties", out var properties) || !properties.TryGetProperty(ObjectArgument.Name, out var obj)
            || !obj.TryGetProperty("enum", out _))
            return tool;
        var schema = JsonNode.Parse(tool.InputSchema.GetRawText())!.AsObject();
        var names = schema["properties"]![ObjectArgument.Name]!["enum"]!.AsArray();
        foreach (var o in custom) names.Add(o.Name);
        return Copy(tool, schema);
    }

    static Tool Copy(Tool tool, JsonObject schema) => new()
    {
        Name = tool.Name,
        Title = tool.Title,
        Description = tool.Description,
        Annotations = tool.Annotations,
        OutputSchema = tool.OutputSchema,
        Icons = tool.Icons,
        Meta = tool.Meta,
        InputSchema = JsonSerializer.SerializeToElement(schema, ServerJson.Default.JsonObject),
    };

    static Tool WithCustomFields(Tool tool, Domain.Metadata.ObjectMetadata obj, IReadOnlyList<Domain.Metadata.FieldMetadata> custom)
    {
        var schema = JsonNode.Parse(tool.InputSchema.GetRawText())!.AsObject();
        var properties = schema["properties"]!.AsObject();
        foreach (var field in custom) properties[field.Name] = ToolSchema.PropertyOf(obj, field);
        return Copy(tool, schema);
    }
}
