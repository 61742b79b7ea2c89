using RevOps.Domain;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

/// <summary>The create / get / update tool shapes every object shares; areas add their own searches.</summary>
public static class RecordTools
{
    /// <summary>
    /// A create tool: the schema lists <paramref name="writable"/> (the fields agents set most) and the
    /// description one example; any other field of the object is accepted too.
    /// </summary>
    public static CrmTool CreateTool(RecordService records, ObjectMetadata obj, string name, string title, string description, string[] writable, string[] required) =>
        Create(name, title, $"{description} Other {obj.Name} fields (describe_object) work too. E.g. {FieldExamples.Arguments(obj, [.. required, .. writable])}",
            new ToolSchema().Fields(obj, writable, required).CustomFields(obj).WriteOptions(duplicates: HasDuplicateCheck(obj)),
            async (caller, args, ct) =>
            {
                var options = WriteArguments.Read(args);
                if (!options.IsOk) return ToolResults.Error(options.Error);
                var input = args.RecordFields(WriteArguments.Names);
                if (!input.IsOk) return ToolResults.Error(input.Error);
                return ToolResults.FromOutcome(await records.CreateAsync(caller, obj, input.Value, options.Value, ct));
            }, customFieldsOf: obj);

    public static CrmTool GetTool(RecordService records, SchemaService schemas, ObjectMetadata obj, string name, string title, string description) =>
        Read(name, title, description,
            new ToolSchema().Param("Id", "string", null, required: true).FieldsParam(),
            async (caller, args, ct) =>
            {
                var id = args.String("Id");
                if (!id.IsOk) return ToolResults.Error(id.Error);
                var fields = FieldSelection.Read(args, await schemas.GetAsync(caller.Tenant, obj, ct));
                if (!fields.IsOk) return ToolResults.Error(fields.Error);
                var record = await records.GetAsync(caller, obj, id.Value, ct);
                return record.IsOk ? ToolResults.Record(record.Value, fields.Value) : ToolResults.Error(record.Error);
            });

    /// <summary>An update taking the Id and the given fields; <paramref name="required"/> fields must be sent.</summary>
    public static CrmTool UpdateTool(RecordService records, ObjectMetadata obj, string name, string title, string description, string[] fields,
        string[]? required = null, bool customFields = true)
    {
        var schema = new ToolSchema().Param("Id", "string", null, required: true).Fields(obj, fields, required);
        if (customFields) schema.CustomFields(obj);
        schema.WriteOptions(duplicates: false);
        string example = description.Contains("e.g.", StringComparison.OrdinalIgnoreCase) ? "" : $" E.g. {FieldExamples.Arguments(obj, fields, withId: true)}";
        return Update(name, title, description + example, schema,
            async (caller, args, ct) =>
            {
                var id = args.String("Id");
                if (!id.IsOk) return ToolResults.Error(id.Error);
                foreach (var field in required ?? [])
                    if (!args.Has(field)) return ToolResults.Error(Domain.Errors.CrmError.Required(obj.Name, field));
                var options = WriteArguments.Read(args);
                if (!options.IsOk) return ToolResults.Error(options.Error);
                var input = args.RecordFields(["Id", .. WriteArguments.Names]);
                if (!input.IsOk) return ToolResults.Error(input.Error);
                return ToolResults.FromOutcome(await records.UpdateAsync(caller, obj, id.Value, input.Value, options.Value, ct));
            }, customFieldsOf: customFields ? obj : null);
    }

    public static bool HasDuplicateCheck(ObjectMetadata obj) => Domain.Duplicates.DuplicateRule.Checks(obj);
}
