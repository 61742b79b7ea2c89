using System.Text.Json;
using ModelContextProtocol.Protocol;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Soql;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Writes;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

/// <summary>
/// create_record with children: fields holding a child relationship ("Contacts": [{…}] or Salesforce's
/// {"records": [{…}]}) creates the record and its children in one transaction, the REST sObject Tree's way.
/// References are paths (Account, Contacts[0], Contacts[0].Tasks[0]) unless attributes.referenceId names them.
/// </summary>
public static class RecordTreeTool
{
    /// <summary>Whether the fields nest children under one of the object's child relationships.</summary>
    public static bool HasChildren(ObjectMetadata obj, JsonElement fields) =>
        fields.ValueKind == JsonValueKind.Object && fields.EnumerateObject().Any(p =>
            SoqlRelationships.FindChild(obj, p.Name) is not null
            && (p.Value.ValueKind == JsonValueKind.Array || p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("records", out _)));

    public static async Task<CallToolResult> CreateAsync(RecordTree tree, Caller caller, ObjectMetadata obj, JsonElement fields, WriteOptions options, CancellationToken ct)
    {
        if (options.DryRun || options.IdempotencyKey is not null)
            return ToolResults.Error(new CrmError(ErrorCodes.InvalidArgument,
                "Records with nested children are created in one transaction and take neither dry_run nor idempotency_key. Send them without, or create the records one by one.", "fields"));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            fields.WriteTo(writer);
            writer.WriteEndArray();
        }
        var records = JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
        var outcome = await tree.CreateAsync(caller, obj, records, lenient: true, ct);
        if (!outcome.IsOk) return ToolResults.Error(outcome.Error);
        var result = outcome.Value;
        if (result.HasErrors)
        {
            string Described(TreeError e) => e.Error.Message.StartsWith(e.ReferenceId + ":", StringComparison.Ordinal) || e.Error.Message.StartsWith(e.ReferenceId + " ", StringComparison.Ordinal)
                ? e.Error.Message
                : $"{e.ReferenceId}: {e.Error.Message}";
            var first = result.Errors[0].Error;
            return ToolResults.Error(new CrmError(first.Code, $"{string.Join(" ", result.Errors.Select(Described))} Nothing was created.", first.Field));
        }
        return ToolResults.FromJson(w =>
        {
            w.WriteStartObject();
            w.WriteString("Id", result.Created[0].Id);
            w.WriteString("object", obj.Name);
            w.WriteStartArray("created");
            foreach (var created in result.Created)
            {
                w.WriteStartObject();
                w.WriteString("referenceId", created.ReferenceId);
                w.WriteString("object", created.Object.Name);
                w.WriteString("Id", created.Id);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
