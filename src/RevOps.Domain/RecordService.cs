using System.Text.Json;
using System.Text.RegularExpressions;
using RevOps.Domain.Errors;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Domain.Stores;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain;

/// <summary>
/// Creates, updates, reads and searches records of any object: validates values against the
/// metadata, applies the object rules, checks references within the caller's tenant, and
/// hands the store one write together with its change-log entry.
/// </summary>
public sealed partial class RecordService(IRecordStore store, IdGenerator ids, TimeProvider time)
{
    const int MaxUpdateAttempts = 5;

    public async Task<CrmResult<Record>> GetAsync(Caller caller, ObjectMetadata obj, string? id, CancellationToken ct)
    {
        var parsed = ParseOwnId(obj, id);
        if (!parsed.IsOk) return parsed.Error;
        var record = await store.GetAsync(caller.Tenant, obj, parsed.Value, ct);
        return record is null || (bool)record["IsDeleted"]! ? CrmError.NotFound(obj.Name, id!) : record;
    }

    public async Task<CrmResult<RecordPage>> QueryAsync(Caller caller, ObjectMetadata obj, RecordQuery query, CancellationToken ct)
    {
        if (query.Limit is < 1 or > RecordQuery.MaxLimit)
            return new CrmError(ErrorCodes.InvalidArgument, $"limit must be between 1 and {RecordQuery.MaxLimit}; {query.Limit} was sent.", "limit");
        // One row more than asked for tells whether there are more.
        var rows = await store.QueryAsync(caller.Tenant, obj, query with { Limit = query.Limit + 1 }, ct);
        return rows.Count > query.Limit
            ? new RecordPage(rows.Take(query.Limit).ToArray(), HasMore: true)
            : new RecordPage(rows, HasMore: false);
    }

    public async Task<CrmResult<Record>> CreateAsync(Caller caller, ObjectMetadata obj, RecordInput input, CancellationToken ct)
    {
        if (!caller.CanWrite) return ReadOnlyKey(obj);
        var record = Record.Empty(obj);
        foreach (var field in obj.Fields)
            if (field.DefaultValue is not null) record.Values[obj.Ordinal(field.Name)] = field.DefaultValue;

        var applied = Apply(obj, record, input, creating: true);
        if (applied.Error is not null) return applied.Error;
        foreach (var field in obj.Fields)
            if (field.Required && !field.System && record[field.Name] is null)
                return CrmError.Required(obj.Name, field.Name);
        if (ObjectRules.Apply(record, null, applied.Sent) is { } ruleError) return ruleError;
        if (await CheckReferencesAsync(caller, obj, record, applied.Sent, ct) is { } refError) return refError;

        var now = FieldValues.TruncateToMillis(time.GetUtcNow().UtcDateTime);
        record["Id"] = ids.NewId(obj.KeyPrefix);
        record["IsDeleted"] = false;
        record["CreatedDate"] = now;
        record["LastModifiedDate"] = now;
        record["SystemModstamp"] = now;
        record["CreatedById"] = caller.ActorId;
        record["LastModifiedById"] = caller.ActorId;

        var changes = new List<FieldChange>();
        foreach (var field in obj.Fields)
            if (!field.System || field.Name is not ("Id" or "IsDeleted" or "CreatedDate" or "LastModifiedDate" or "SystemModstamp" or "CreatedById" or "LastModifiedById"))
                if (record[field.Name] is { } value) changes.Add(new FieldChange(field.Name, null, value));
        foreach (var (name, value) in record.Custom) changes.Add(new FieldChange(name, null, value));

        var change = new ChangeEntry(obj.Name, record.Id, ChangeOperations.Created, changes, caller.ActorId, caller.Channel, now);
        await store.InsertAsync(caller.Tenant, record, change, ct);
        return record;
    }

    public async Task<CrmResult<Record>> UpdateAsync(Caller caller, ObjectMetadata obj, string? id, RecordInput input, CancellationToken ct)
    {
        if (!caller.CanWrite) return ReadOnlyKey(obj);
        var parsed = ParseOwnId(obj, id);
        if (!parsed.IsOk) return parsed.Error;

        for (int attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var before = await store.GetAsync(caller.Tenant, obj, parsed.Value, ct);
            if (before is null || (bool)before["IsDeleted"]!) return CrmError.NotFound(obj.Name, id!);

            var record = before.Copy();
            var applied = Apply(obj, record, input, creating: false);
            if (applied.Error is not null) return applied.Error;
            foreach (var name in applied.Sent)
                if (obj.TryGetField(name, out var field) && field.Required && record[field.Name] is null)
                    return CrmError.Required(obj.Name, field.Name);
            if (ObjectRules.Apply(record, before, applied.Sent) is { } ruleError) return ruleError;
            if (await CheckReferencesAsync(caller, obj, record, applied.Sent, ct) is { } refError) return refError;

            var changes = Diff(before, record);
            if (changes.Count == 0) return before; // Nothing changed: no write, no change-log row.

            var now = FieldValues.TruncateToMillis(time.GetUtcNow().UtcDateTime);
            record["LastModifiedDate"] = now;
            record["SystemModstamp"] = now;
            record["LastModifiedById"] = caller.ActorId;
            string operation = changes.Any(c => c.Field == "StageName") && obj == StandardObjects.Opportunity
                ? ChangeOperations.StageChanged
                : ChangeOperations.Updated;
            var change = new ChangeEntry(obj.Name, record.Id, operation, changes, caller.ActorId, caller.Channel, now);
            if (await store.UpdateAsync(caller.Tenant, record, before.Version, change, ct) is not null)
                return new Record(obj, record.Values, record.Custom, before.Version + 1);
            // Another writer got there first: read the new state and apply the caller's values to it.
        }
        return new CrmError(ErrorCodes.Conflict, $"{obj.Name} '{id}' is being changed by others right now. Retry the update.");
    }

    /// <summary>Parses an Id the caller gave for a record of <paramref name="obj"/>.</summary>
    public static CrmResult<string> ParseOwnId(ObjectMetadata obj, string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
            return CrmError.Required(obj.Name, "Id");
        if (!SalesforceId.TryNormalize(id, out var normalized))
            return new CrmError(ErrorCodes.MalformedId, $"'{id}' is not a valid {obj.Name} Id. Send the 15- or 18-character Id (it starts with {obj.KeyPrefix}).", "Id");
        if (SalesforceId.KeyPrefix(normalized) != obj.KeyPrefix)
        {
            var other = StandardObjects.ForKeyPrefix(SalesforceId.KeyPrefix(normalized));
            string hint = other is null ? "" : $" It is the Id of {Suggestions.WithArticle(other.Name)}.";
            return new CrmError(ErrorCodes.NotFound, $"'{id}' is not a {obj.Name} Id ({obj.Name} Ids start with {obj.KeyPrefix}).{hint}", "Id");
        }
        return normalized;
    }

    readonly record struct Applied(HashSet<string> Sent, CrmError? Error);

    static Applied Apply(ObjectMetadata obj, Record record, RecordInput input, bool creating)
    {
        var sent = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, json) in input.Fields)
        {
            if (name.EndsWith("__c", StringComparison.OrdinalIgnoreCase))
            {
                if (ApplyCustom(obj, record, name, json) is { } customError) return new(sent, customError);
                sent.Add(name);
                continue;
            }
            if (!obj.TryGetField(name, out var field))
            {
                string? guess = Suggestions.Closest(name, obj.Fields.Where(f => !f.System).Select(f => f.Name));
                string hint = guess is null ? $"Fields you can set: {string.Join(", ", obj.Fields.Where(f => f.Createable).Select(f => f.Name))}." : $"Did you mean '{guess}'?";
                return new(sent, new CrmError(ErrorCodes.InvalidField, $"'{name}' is not a field on {obj.Name}. {hint}", name));
            }
            if (creating ? !field.Createable : !field.Updateable)
                return new(sent, new CrmError(ErrorCodes.ReadOnlyField, $"{obj.Name}.{field.Name} is set by the system and cannot be written. Leave it out.", field.Name));
            var value = FieldValues.Parse(obj, field, json);
            if (!value.IsOk) return new(sent, value.Error);
            record[field.Name] = value.Value;
            sent.Add(field.Name);
        }
        return new(sent, null);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,37}__c$")]
    private static partial Regex CustomFieldName();

    static CrmError? ApplyCustom(ObjectMetadata obj, Record record, string name, JsonElement json)
    {
        if (!CustomFieldName().IsMatch(name) || name.Contains("___", StringComparison.Ordinal))
            return new CrmError(ErrorCodes.InvalidField, $"'{name}' is not a valid custom field name. Use letters, digits and single underscores, ending in __c (e.g. lead_score__c).", name);
        switch (json.ValueKind)
        {
            case JsonValueKind.Null:
                record.Custom.Remove(name);
                return null;
            case JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                if (json.ValueKind == JsonValueKind.String && json.GetString()!.Length > 32768)
                    return new CrmError(ErrorCodes.InvalidFieldValue, $"{obj.Name}.{name} holds at most 32768 characters.", name);
                record.Custom[name] = json.Clone();
                return null;
            default:
                return new CrmError(ErrorCodes.InvalidType, $"{obj.Name}.{name} must be a string, number or boolean; got {json.ValueKind.ToString().ToLowerInvariant()}.", name);
        }
    }

    async Task<CrmError?> CheckReferencesAsync(Caller caller, ObjectMetadata obj, Record record, IReadOnlySet<string> sent, CancellationToken ct)
    {
        foreach (var field in obj.Fields)
        {
            if (field.Type != FieldType.Reference || field.System || !sent.Contains(field.Name)) continue;
            if (record[field.Name] is not string targetId) continue;
            var target = StandardObjects.ForKeyPrefix(SalesforceId.KeyPrefix(targetId))!;
            if (!await store.ExistsAsync(caller.Tenant, target, targetId, ct))
                return new CrmError(ErrorCodes.InvalidCrossReference,
                    $"{obj.Name}.{field.Name}: no {target.Name} '{targetId}' in this org. Send the Id of an existing {target.Name} (search for it first), or leave {field.Name} out.",
                    field.Name);
        }
        return null;
    }

    static List<FieldChange> Diff(Record before, Record after)
    {
        var changes = new List<FieldChange>();
        foreach (var field in before.Object.Fields)
        {
            var a = before[field.Name];
            var b = after[field.Name];
            if (!Equals(a, b)) changes.Add(new FieldChange(field.Name, a, b));
        }
        foreach (var name in before.Custom.Keys.Union(after.Custom.Keys, StringComparer.OrdinalIgnoreCase))
        {
            bool hadBefore = before.Custom.TryGetValue(name, out var a);
            bool hasAfter = after.Custom.TryGetValue(name, out var b);
            if (hadBefore != hasAfter || (hadBefore && a.GetRawText() != b.GetRawText()))
                changes.Add(new FieldChange(name, hadBefore ? a : null, hasAfter ? b : null));
        }
        return changes;
    }

    static CrmError ReadOnlyKey(ObjectMetadata obj) =>
        new(ErrorCodes.InsufficientAccess, $"This API key is read-only and cannot change {obj.Name} records. Use a key with the write scope.");
}
