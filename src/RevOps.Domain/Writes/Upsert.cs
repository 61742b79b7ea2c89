using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Writes;

/// <summary>What an upsert did: created or updated one record, or found several matches and wrote nothing.</summary>
public sealed record UpsertOutcome(WriteOutcome? Outcome, bool Created, IReadOnlyList<string> Matches);

/// <summary>
/// Upsert by an External ID field (or Id), as Salesforce's PATCH sobjects/{Object}/{Field}/{value}:
/// no live record holds the value → create one with it; one does → update it; several → nothing.
/// </summary>
public sealed class Upsert(RecordService records, SchemaService schemas, IRecordStore store)
{
    const int MaxAttempts = 3;

    public async Task<CrmResult<UpsertOutcome>> ByExternalIdAsync(Caller caller, ObjectMetadata obj, string fieldName, string value, RecordInput input, CancellationToken ct)
    {
        if (!caller.CanWrite) return RecordService.ReadOnlyKey(obj);
        if (FieldApplier.CheckWritable(obj) is { } managed) return managed;
        var schema = await schemas.GetForWriteAsync(caller.Tenant, obj, input.Fields.Select(f => f.Key).Append(fieldName), ct);
        bool byId = string.Equals(fieldName, "Id", StringComparison.OrdinalIgnoreCase);
        if (!schema.TryGetField(fieldName, out var field) || (!byId && !field.ExternalId))
            return new CrmError(ErrorCodes.NotFound, $"Provided external ID field does not exist or is not accessible: {fieldName}", fieldName);

        var body = input.Fields.Where(f => !string.Equals(f.Key, field.Name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byId)
        {
            var id = RecordService.ParseOwnId(obj, value);
            if (!id.IsOk) return id.Error;
            var updated = await records.UpdateAsync(caller, obj, id.Value, new RecordInput(body), WriteOptions.Default, ct);
            return updated.IsOk ? new UpsertOutcome(updated.Value, Created: false, [id.Value]) : updated.Error;
        }

        var parsed = FieldValues.Parse(obj, field, JsonSerializer.SerializeToElement(value, DomainJson.Default.String));
        if (!parsed.IsOk) return parsed.Error;
        if (parsed.Value is null) return new CrmError(ErrorCodes.InvalidArgument, $"The {field.Name} value in the URL is empty. Send the external id to match on.", field.Name);

        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var query = new RecordQuery([[new Condition(field, ConditionOp.Equals, parsed.Value)]], obj.Field("Id"), Descending: false, Limit: 10);
            var matches = await store.QueryAsync(caller.Tenant, obj, query, ct);
            if (matches.Count > 1) return new UpsertOutcome(null, Created: false, matches.Select(m => m.Id).ToArray());
            if (matches.Count == 1)
            {
                var updated = await records.UpdateAsync(caller, obj, matches[0].Id, new RecordInput(body), WriteOptions.Default, ct);
                return updated.IsOk ? new UpsertOutcome(updated.Value, Created: false, [matches[0].Id]) : updated.Error;
            }
            body.Add(new(field.Name, FieldApplier.ToJson(parsed.Value)));
            var created = await records.CreateAsync(caller, obj, new RecordInput(body), WriteOptions.Default, ct);
            if (created.IsOk) return new UpsertOutcome(created.Value, Created: true, [created.Value.Record.Id]);
            // A unique external id taken meanwhile by a concurrent upsert: match again and update it.
            if (created.Error.Code != ErrorCodes.DuplicateValue || !field.Unique) return created.Error;
            body.RemoveAt(body.Count - 1);
        }
        return new CrmError(ErrorCodes.Conflict, $"{obj.Name} with {field.Name} '{value}' is being written by others right now. Retry the upsert.");
    }
}
