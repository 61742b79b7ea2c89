using RevOps.Domain;
using RevOps.Domain.Metadata;
using static RevOps.Server.Mcp.ToolDefinition;

namespace RevOps.Server.Mcp;

/// <summary>The create / get / update tool shapes every object shares; areas add their own searches.</summary>
public static class RecordTools
{
    public static CrmTool CreateTool(RecordService records, ObjectMetadata obj, string name, string title, string description, string[] writable, string[] required) =>
        Create(name, title, description,
            new ToolSchema().Fields(obj, writable, required).CustomFields(obj),
            async (caller, args, ct) =>
            {
                var input = args.RecordFields();
                if (!input.IsOk) return ToolResults.Error(input.Error);
                return ToolResults.FromResult(await records.CreateAsync(caller, obj, input.Value, ct));
            });

    public static CrmTool GetTool(RecordService records, ObjectMetadata obj, string name, string title, string description) =>
        Read(name, title, description,
            new ToolSchema().Param("Id", "string", $"{obj.Name} Id, 15 or 18 characters, e.g. {obj.KeyPrefix}xxxxxxxxxxxxAAA.", required: true),
            async (caller, args, ct) =>
            {
                var id = args.String("Id");
                if (!id.IsOk) return ToolResults.Error(id.Error);
                return ToolResults.FromResult(await records.GetAsync(caller, obj, id.Value, ct));
            });

    /// <summary>An update taking the Id and the given fields; <paramref name="required"/> fields must be sent.</summary>
    public static CrmTool UpdateTool(RecordService records, ObjectMetadata obj, string name, string title, string description, string[] fields,
        string[]? required = null, bool customFields = true)
    {
        var schema = new ToolSchema().Param("Id", "string", $"{obj.Name} Id ({obj.KeyPrefix}…).", required: true).Fields(obj, fields, required);
        if (customFields) schema.CustomFields(obj);
        return Update(name, title, description, schema,
            async (caller, args, ct) =>
            {
                var id = args.String("Id");
                if (!id.IsOk) return ToolResults.Error(id.Error);
                foreach (var field in required ?? [])
                    if (!args.Has(field)) return ToolResults.Error(Domain.Errors.CrmError.Required(obj.Name, field));
                var input = args.RecordFields("Id");
                if (!input.IsOk) return ToolResults.Error(input.Error);
                return ToolResults.FromResult(await records.UpdateAsync(caller, obj, id.Value, input.Value, ct));
            });
    }
}
