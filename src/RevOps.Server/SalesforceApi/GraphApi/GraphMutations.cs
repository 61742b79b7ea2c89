using System.Buffers;
using System.Globalization;
using System.Text.Json;
using GraphQL;
using GraphQL.Types;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Soql;
using static RevOps.Domain.Soql.SoqlSyntax;
using static RevOps.Server.SalesforceApi.GraphApi.GraphSharedTypes;
using GqlField = GraphQL.Types.FieldType;

using FieldType = RevOps.Domain.Metadata.FieldType;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>
/// AccountCreate, AccountUpdate, AccountDelete …: writes through the same domain services as REST
/// (validation, defaults, duplicates, scopes, change log), then the written record read back
/// through SOQL for the payload's Record.
/// </summary>
public static class GraphMutations
{
    public sealed record Written(string Id, GraphNode? Record);

    public static void AddTo(ObjectGraphType mutations, GraphObjectTypes types, ObjectSchema schema, GraphSharedTypes shared)
    {
        var obj = types.Object;
        var create = Representation(obj.Name + "CreateRepresentation", schema.AllFields.Where(f => f.Createable && !f.System && f.Type != FieldType.Id));
        var update = Representation(obj.Name + "UpdateRepresentation", schema.AllFields.Where(f => f.Updateable && !f.System && f.Type != FieldType.Id));

        var createInput = new InputObjectGraphType { Name = obj.Name + "CreateInput" };
        createInput.AddField(new GqlField { Name = obj.Name, ResolvedType = new NonNullGraphType(create) });
        var createPayload = new ObjectGraphType { Name = obj.Name + "CreatePayload" };
        Add(createPayload, "Record", types.Record, c => ((Written)c.Source!).Record);

        var updateInput = new InputObjectGraphType { Name = obj.Name + "UpdateInput" };
        updateInput.AddField(new GqlField { Name = "Id", ResolvedType = new NonNullGraphType(new IdGraphType()) });
        updateInput.AddField(new GqlField { Name = obj.Name, ResolvedType = new NonNullGraphType(update) });
        var updatePayload = new ObjectGraphType { Name = obj.Name + "UpdatePayload" };
        Add(updatePayload, "success", new NonNullGraphType(new BooleanGraphType()), _ => true);
        Add(updatePayload, "Record", types.Record, c => ((Written)c.Source!).Record);

        AddAsync(mutations, obj.Name + "Create", createPayload, c => CreateAsync(c, obj), Input(createInput));
        AddAsync(mutations, obj.Name + "Update", updatePayload, c => UpdateAsync(c, obj), Input(updateInput));
        AddAsync(mutations, obj.Name + "Delete", shared.RecordDeletePayload, c => DeleteAsync(c, obj), Input(shared.RecordDeleteInput));
    }

    static QueryArguments Input(IGraphType type) => new(new QueryArgument(new NonNullGraphType(type)) { Name = "input" });

    static InputObjectGraphType Representation(string name, IEnumerable<FieldMetadata> fields)
    {
        var input = new InputObjectGraphType { Name = name };
        foreach (var field in fields) input.AddField(new GqlField { Name = field.Name, ResolvedType = Scalar(field.Type) });
        return input;
    }

    static async ValueTask<object?> CreateAsync(IResolveFieldContext context, ObjectMetadata obj)
    {
        var request = GraphRequest.Of(context);
        var input = context.GetArgument<IDictionary<string, object?>>("input");
        var created = await request.Records.CreateAsync(request.Caller, obj, Fields(input[obj.Name]), context.CancellationToken);
        if (!created.IsOk) return GraphErrors.Report(context, created.Error);
        return await WrittenAsync(context, obj, created.Value.Id);
    }

    static async ValueTask<object?> UpdateAsync(IResolveFieldContext context, ObjectMetadata obj)
    {
        var request = GraphRequest.Of(context);
        var input = context.GetArgument<IDictionary<string, object?>>("input");
        var updated = await request.Records.UpdateAsync(request.Caller, obj, input["Id"] as string, Fields(input[obj.Name]), context.CancellationToken);
        if (!updated.IsOk) return GraphErrors.Report(context, updated.Error);
        return await WrittenAsync(context, obj, updated.Value.Id);
    }

    static async ValueTask<object?> DeleteAsync(IResolveFieldContext context, ObjectMetadata obj)
    {
        var request = GraphRequest.Of(context);
        var input = context.GetArgument<IDictionary<string, object?>>("input");
        var deleted = await request.Bin.DeleteAsync(request.Caller, obj, input["Id"] as string, dryRun: false, context.CancellationToken);
        if (!deleted.IsOk) return GraphErrors.Report(context, deleted.Error);
        return deleted.Value.Record.Id;
    }

    /// <summary>The payload: the Id, and the record as the selection under Record asks for it (read after the commit).</summary>
    static async ValueTask<object?> WrittenAsync(IResolveFieldContext context, ObjectMetadata obj, string id)
    {
        var request = GraphRequest.Of(context);
        var recordSets = GraphSelection.Fields(context.FieldAst.SelectionSet, context.Document)
            .Where(f => f.Name.StringValue == "Record" && f.SelectionSet is not null).Select(f => f.SelectionSet!).ToList();
        if (recordSets.Count == 0) return new Written(id, null);
        var select = GraphSelection.NodeItems(obj, request.Schema, recordSets, context.Document);
        var byId = new Comparison(new Operand(new SoqlSyntax.Path(["Id"], 0), null), "=", new StringValue(id, id, 0), 0);
        var read = await request.Soql.QueryAsync(request.Caller, new Query(select, obj.Name, 0, byId, [], null, [], null, null, 0), 0, 1, context.CancellationToken);
        if (!read.IsOk) return GraphErrors.Report(context, read.Error);
        return new Written(id, read.Value.Records.Count == 0 ? null : new GraphNode(obj, read.Value.Records[0]));
    }

    /// <summary>The representation's fields as the JSON values a REST body would carry, so the domain validates them the same way.</summary>
    static RecordInput Fields(object? representation)
    {
        var fields = representation as IDictionary<string, object?> ?? new Dictionary<string, object?>();
        return new RecordInput(fields.Select(p => new KeyValuePair<string, JsonElement>(p.Key, Json(p.Value))).ToArray());
    }

    static JsonElement Json(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            switch (value)
            {
                case null: w.WriteNullValue(); break;
                case string s: w.WriteStringValue(s); break;
                case bool b: w.WriteBooleanValue(b); break;
                case int or long or short: w.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
                case double d: w.WriteNumberValue(d); break;
                case decimal m: w.WriteNumberValue(m); break;
                default: w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
            }
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
