using System.Buffers;
using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Writes;

/// <summary>
/// Applies a caller's field values to a record: every value, standard or custom, is parsed and
/// checked against the tenant's schema, so a write through any channel meets the same rules.
/// </summary>
public static class FieldApplier
{
    /// <summary>Sets defaults of standard and custom fields on a new record.</summary>
    public static void ApplyDefaults(ObjectSchema schema, Record record)
    {
        foreach (var field in schema.Object.Fields)
            if (field.DefaultValue is not null) record[field.Name] = field.DefaultValue;
        foreach (var field in schema.CustomFields)
            if (field.DefaultValue is not null) record.Custom[field.Name] = ToJson(field.DefaultValue);
    }

    /// <summary>Applies the input; returns the names of the fields it set, or the first error.</summary>
    public static CrmResult<HashSet<string>> Apply(ObjectSchema schema, Record record, RecordInput input, bool creating)
    {
        var obj = schema.Object;
        var sent = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, json) in input.Fields)
        {
            if (name.EndsWith("__c", StringComparison.OrdinalIgnoreCase))
            {
                if (!schema.TryGetCustom(name, out var custom)) return UndefinedCustomField(schema, name);
                var parsed = FieldValues.Parse(obj, custom, json);
                if (!parsed.IsOk) return parsed.Error;
                if (parsed.Value is null) record.Custom.Remove(custom.Name);
                else record.Custom[custom.Name] = ToJson(parsed.Value);
                sent.Add(custom.Name);
                continue;
            }
            if (!obj.TryGetField(name, out var field))
            {
                string? guess = Suggestions.Closest(name, schema.AllFields.Where(f => !f.System).Select(f => f.Name));
                string hint = guess is null ? $"Fields you can set: {string.Join(", ", schema.AllFields.Where(f => f.Createable && !f.System).Select(f => f.Name))}." : $"Did you mean '{guess}'?";
                return new CrmError(ErrorCodes.InvalidField, $"'{name}' is not a field on {obj.Name}. {hint}", name);
            }
            if (!creating && field.Createable && !field.Updateable)
                return new CrmError(ErrorCodes.ReadOnlyField, $"{obj.Name}.{field.Name} is set when the record is created and cannot change; {json.GetRawText()} was sent. Leave it out.", field.Name);
            if (creating ? !field.Createable : !field.Updateable)
                return new CrmError(ErrorCodes.ReadOnlyField, $"{obj.Name}.{field.Name} is set by the system and cannot be written; {json.GetRawText()} was sent. Leave it out.", field.Name);
            var value = FieldValues.Parse(obj, field, json);
            if (!value.IsOk) return value.Error;
            record[field.Name] = value.Value;
            sent.Add(field.Name);
        }
        return sent;
    }

    /// <summary>The first required field without a value: all of them on create, the ones sent on update.</summary>
    public static CrmError? CheckRequired(ObjectSchema schema, Record record, IReadOnlySet<string>? onlySent)
    {
        foreach (var field in schema.Object.Fields)
            if (field.Required && !field.System && (onlySent is null || onlySent.Contains(field.Name)) && record[field.Name] is null)
                return CrmError.Required(schema.Object.Name, field.Name);
        foreach (var field in schema.CustomFields)
            if (field.Required && (onlySent is null || onlySent.Contains(field.Name)) && !record.Custom.ContainsKey(field.Name))
                return CrmError.Required(schema.Object.Name, field.Name);
        return null;
    }

    /// <summary>Every reference the caller set must name a live record of an allowed object in the caller's tenant.</summary>
    /// <param name="pending">Ids of records written in the same transaction, which count as existing.</param>
    public static async Task<CrmError?> CheckReferencesAsync(IRecordStore store, Caller caller, Record record, IReadOnlySet<string> sent, CancellationToken ct,
        IReadOnlySet<string>? pending = null, IReadOnlySet<string>? live = null)
    {
        var obj = record.Object;
        foreach (var field in obj.Fields)
        {
            if (field.Type != FieldType.Reference || field.System || !sent.Contains(field.Name)) continue;
            if (record[field.Name] is not string targetId) continue;
            var target = StandardObjects.ForKeyPrefix(SalesforceId.KeyPrefix(targetId))!;
            if (targetId == record.Values[0] as string)
                return new CrmError(ErrorCodes.InvalidFieldValue, $"{obj.Name}.{field.Name} cannot point to the record itself ('{targetId}').", field.Name);
            if (target == StandardObjects.User)
            {
                // A user of another tenant reads as none at all: the same answer as an Id that never existed.
                var user = await store.GetAsync(caller.Tenant, target, targetId, ct);
                if (user is null || user.IsDeleted || user["IsActive"] is not true)
                    return new CrmError(ErrorCodes.InvalidCrossReference,
                        $"{obj.Name}.{field.Name}: no active User '{targetId}' in this org. Find users with SOQL SELECT Id, Name FROM User WHERE IsActive = true (or find_records with object User), or leave {field.Name} out to keep the current owner (on create: you).",
                        field.Name);
                continue;
            }
            if (pending?.Contains(targetId) != true && live?.Contains(targetId) != true && !await store.ExistsAsync(caller.Tenant, target, targetId, ct))
                return new CrmError(ErrorCodes.InvalidCrossReference,
                    $"{obj.Name}.{field.Name}: no {target.Name} '{targetId}' in this org. Send the Id of an existing {target.Name} (search for it first), or leave {field.Name} out.",
                    field.Name);
        }
        return null;
    }

    /// <summary>
    /// A record's owner: the caller's user unless one was sent; an owner cannot be emptied. Call before
    /// <see cref="CheckReferencesAsync"/>, which checks a sent owner is an active user of the org.
    /// </summary>
    public static CrmError? ApplyOwner(Caller caller, Record record, IReadOnlySet<string> sent, bool creating)
    {
        if (!record.Object.TryGetField("OwnerId", out _) || record["OwnerId"] is not null) return null;
        if (creating && !sent.Contains("OwnerId"))
        {
            record["OwnerId"] = caller.ActorId;
            return null;
        }
        return new CrmError(ErrorCodes.RequiredFieldMissing,
            $"{record.Object.Name}.OwnerId cannot be empty: every record has an owner. Send the Id of an active User (SELECT Id, Name FROM User WHERE IsActive = true), or leave OwnerId out.", "OwnerId");
    }

    /// <summary>The refusal of a generic write to an object that only its own commands change (User).</summary>
    public static CrmError? CheckWritable(ObjectMetadata obj) => obj.Writable ? null
        : new CrmError(ErrorCodes.InsufficientAccess,
            $"{obj.Name} records are managed by the org's admins, not through record writes: use `revops user create|activate|deactivate` or /api/users with an admin key. Reading {obj.Name} works everywhere (SOQL, get_record, find_records).", "object");

    /// <summary>Typed value as the JSON stored for a custom field (dates as ISO text, multi-picklists as "a;b").</summary>
    public static JsonElement ToJson(object value)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer)) ValueJson.Write(writer, value);
        return JsonElement.Parse(buffer.WrittenSpan);
    }

    static CrmError UndefinedCustomField(ObjectSchema schema, string name)
    {
        var obj = schema.Object.Name;
        if (schema.CustomFields.Count == 0)
            return new CrmError(ErrorCodes.InvalidField,
                $"'{name}' is not a custom field of {obj}: {obj} has no custom fields yet. Define it first with define_custom_field (object: {obj}, api_name: {name}, type: Text, Number, Checkbox, Picklist, …), then send it again.", name);
        string? guess = Suggestions.Closest(name, schema.CustomFields.Select(f => f.Name));
        string hint = guess is null ? "" : $" Did you mean '{guess}'?";
        return new CrmError(ErrorCodes.InvalidField,
            $"'{name}' is not a custom field of {obj}.{hint} Defined custom fields: {string.Join(", ", schema.CustomFields.Select(f => $"{f.Name} ({CustomFieldTypes.NameOf(f.Type)})"))}. To add one, call define_custom_field.", name);
    }
}
