using System.Text.Json;
using System.Text.RegularExpressions;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Rules;

namespace RevOps.Domain.Schema;

/// <summary>
/// Turns a <see cref="CustomFieldSpec"/> into field metadata, with errors that say what to send,
/// and decides whether a redefinition keeps the values already stored valid.
/// </summary>
public static partial class CustomFieldBuilder
{
    public const int MaxPicklistValues = 500;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*__c$")]
    private static partial Regex ApiNamePattern();

    public static bool IsValidApiName(string name) => name.Length <= 43 && ApiNamePattern().IsMatch(name);

    public static CrmResult<FieldMetadata> Build(ObjectMetadata obj, CustomFieldSpec spec)
    {
        string name = spec.ApiName.Trim();
        if (!IsValidApiName(name))
            return new CrmError(ErrorCodes.InvalidArgument,
                $"api_name '{spec.ApiName}' is not a valid custom field name. Use up to 40 letters, digits and single underscores, starting with a letter and ending in __c, e.g. Lead_Score__c.", "api_name");
        if (obj.TryGetField(name, out _))
            return new CrmError(ErrorCodes.InvalidArgument, $"{obj.Name} already has a standard field '{name}'. Choose another api_name.", "api_name");
        if (!CustomFieldTypes.TryParse(spec.Type, out var type))
            return new CrmError(ErrorCodes.InvalidArgument, $"type '{spec.Type}' is not a custom field type. Send one of: {string.Join(", ", CustomFieldTypes.Names)}.", "type");

        string label = string.IsNullOrWhiteSpace(spec.Label) ? name[..^3].Replace('_', ' ') : spec.Label.Trim();
        if (label.Length > 40) return new CrmError(ErrorCodes.InvalidArgument, $"label holds at most 40 characters; {label.Length} were sent.", "label");
        // PostgreSQL's text cannot hold U+0000 at all; refusing it here keeps both backends alike.
        if (label.Contains('\0')) return new CrmError(ErrorCodes.InvalidArgument, "label contains the NUL character (U+0000), which text cannot hold. Remove it.", "label");
        if (spec.Description?.Contains('\0') == true)
            return new CrmError(ErrorCodes.InvalidArgument, "description contains the NUL character (U+0000), which text cannot hold. Remove it.", "description");

        var field = new FieldMetadata
        {
            Name = name,
            Label = label,
            Type = type,
            Required = spec.Required,
            Custom = true,
            Description = spec.Description,
            RestrictedPicklist = true,
        };

        var shaped = Shape(field, spec);
        if (!shaped.IsOk) return shaped.Error;
        field = shaped.Value;

        if (spec.ExternalId || spec.Unique)
        {
            if (type is not (FieldType.String or FieldType.Email or FieldType.Double))
                return new CrmError(ErrorCodes.InvalidArgument,
                    $"Only Text, Email and Number fields can be an External ID or unique; {CustomFieldTypes.NameOf(type)} cannot. Define a Text field for identifiers from other systems.", spec.ExternalId ? "external_id" : "unique");
            field = field with { ExternalId = spec.ExternalId, Unique = spec.Unique };
        }

        if (spec.Default is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } json)
        {
            if (type == FieldType.Reference)
                return new CrmError(ErrorCodes.InvalidArgument, "A Lookup or MasterDetail field has no default. Leave default out and send the Id with each record.", "default");
            var parsed = FieldValues.Parse(obj, field, json);
            if (!parsed.IsOk) return parsed.Error with { Message = $"default: {parsed.Error.Message}", Field = "default" };
            field = field with { DefaultValue = parsed.Value };
        }
        else if (type == FieldType.Boolean)
        {
            field = field with { DefaultValue = false };
        }
        if (field.Required && field.DefaultValue is null && type == FieldType.Boolean)
            field = field with { DefaultValue = false };
        return field;
    }

    static CrmResult<FieldMetadata> Shape(FieldMetadata field, CustomFieldSpec spec)
    {
        switch (field.Type)
        {
            case FieldType.String:
                int length = spec.Length ?? CustomFieldTypes.TextMaxLength;
                if (length is < 1 or > CustomFieldTypes.TextMaxLength)
                    return new CrmError(ErrorCodes.InvalidArgument, $"length of a Text field is 1 to {CustomFieldTypes.TextMaxLength}; {length} was sent. Use LongTextArea for longer text.", "length");
                return field with { Length = length };
            case FieldType.TextArea:
                int longLength = spec.Length ?? CustomFieldTypes.LongTextDefaultLength;
                if (longLength is < 256 or > CustomFieldTypes.LongTextMaxLength)
                    return new CrmError(ErrorCodes.InvalidArgument, $"length of a LongTextArea field is 256 to {CustomFieldTypes.LongTextMaxLength}; {longLength} was sent.", "length");
                return field with { Length = longLength };
            case FieldType.Email:
                return field with { Length = 80, IgnoreCase = true };
            case FieldType.Phone:
                return field with { Length = 40 };
            case FieldType.Url:
                return field with { Length = 255 };
            case FieldType.Reference:
                return ShapeReference(field, spec);
            case FieldType.Double or FieldType.Currency or FieldType.Percent:
                int precision = spec.Precision ?? MaxPrecision(field.Type);
                int scale = spec.Scale ?? (field.Type == FieldType.Currency ? 2 : 0);
                if (precision is < 1 or > CustomFieldTypes.MaxPrecision)
                    return new CrmError(ErrorCodes.InvalidArgument, $"precision (total digits) is 1 to {CustomFieldTypes.MaxPrecision}; {precision} was sent.", "precision");
                if (scale < 0 || scale > precision)
                    return new CrmError(ErrorCodes.InvalidArgument, $"scale (digits after the decimal point) is 0 to precision ({precision}); {scale} was sent.", "scale");
                return field with { Precision = precision, Scale = scale };
            case FieldType.Picklist or FieldType.MultiPicklist:
                var values = (spec.Values ?? []).Select(v => v.Trim()).Where(v => v.Length > 0).ToArray();
                if (values.Length == 0)
                    return new CrmError(ErrorCodes.InvalidArgument, $"A {CustomFieldTypes.NameOf(field.Type)} field needs its values, e.g. values: [\"Gold\", \"Silver\", \"Bronze\"].", "values");
                if (values.Length > MaxPicklistValues)
                    return new CrmError(ErrorCodes.InvalidArgument, $"A picklist holds at most {MaxPicklistValues} values; {values.Length} were sent.", "values");
                var duplicate = values.GroupBy(v => v, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
                if (duplicate is not null)
                    return new CrmError(ErrorCodes.InvalidArgument, $"values lists '{duplicate.Key}' more than once. Send each value once.", "values");
                if (values.FirstOrDefault(v => v.Length > 255 || (field.Type == FieldType.MultiPicklist && v.Contains(';'))) is { } bad)
                    return new CrmError(ErrorCodes.InvalidArgument, $"picklist value '{bad}' is too long (255 at most) or contains ';'.", "values");
                return field with { PicklistValues = values, Length = field.Type == FieldType.MultiPicklist ? 4099 : 255 };
            default:
                return field;
        }
    }

    /// <summary>
    /// A Lookup or Master-Detail: its target and delete rule. Whether the target exists in the tenant (and makes
    /// no master-detail cycle) is the schema service's to check, which knows the tenant's objects.
    /// </summary>
    static CrmResult<FieldMetadata> ShapeReference(FieldMetadata field, CustomFieldSpec spec)
    {
        bool master = string.Equals(spec.Type.Trim(), "MasterDetail", StringComparison.OrdinalIgnoreCase);
        string? target = spec.ReferenceTo?.Trim();
        if (string.IsNullOrEmpty(target))
            return new CrmError(ErrorCodes.InvalidArgument, $"A {(master ? "MasterDetail" : "Lookup")} field needs reference_to: the object it points to, e.g. Account or Invoice__c.", "reference_to");
        ReferenceDelete onDelete;
        switch (spec.OnDelete?.Trim().ToLowerInvariant())
        {
            case null or "" when master: onDelete = ReferenceDelete.Cascade; break;
            case "cascade" when master: onDelete = ReferenceDelete.Cascade; break;
            case null or "" or "clear": onDelete = ReferenceDelete.Clear; break;
            case "restrict": onDelete = ReferenceDelete.Restrict; break;
            default:
                return new CrmError(ErrorCodes.InvalidArgument, master
                    ? $"A MasterDetail field always cascades: its records go to the recycle bin with the master. Leave on_delete out; '{spec.OnDelete}' was sent."
                    : $"on_delete of a Lookup is clear (the default: the reference is emptied) or restrict (the delete is refused); '{spec.OnDelete}' was sent.", "on_delete");
        }
        if (master && spec.OnDelete is { Length: > 0 } sentRule && !string.Equals(sentRule.Trim(), "cascade", StringComparison.OrdinalIgnoreCase))
            return new CrmError(ErrorCodes.InvalidArgument, $"A MasterDetail field always cascades; '{spec.OnDelete}' was sent. Leave on_delete out, or define a Lookup.", "on_delete");
        string? relationship = spec.RelationshipName?.Trim();
        if (relationship is { Length: > 0 })
        {
            if (!relationship.EndsWith("__r", StringComparison.OrdinalIgnoreCase)) relationship += "__r";
            if (!IsValidApiName(relationship[..^3] + "__c"))
                return new CrmError(ErrorCodes.InvalidArgument, $"relationship_name '{spec.RelationshipName}' is not a valid name. Use letters, digits and single underscores, starting with a letter, e.g. Invoices.", "relationship_name");
        }
        else relationship = null;
        return field with { Length = 18, ReferenceTo = [target], OnDelete = onDelete, Required = master || field.Required, ChildRelationshipName = relationship };
    }

    static int MaxPrecision(FieldType type) => type == FieldType.Percent ? 5 : CustomFieldTypes.MaxPrecision;

    /// <summary>
    /// Why redefining <paramref name="existing"/> as <paramref name="proposed"/> could make stored
    /// values unreadable or invalid, or null when the change is safe.
    /// </summary>
    public static string? Incompatibility(FieldMetadata existing, FieldMetadata proposed)
    {
        string from = CustomFieldTypes.NameOf(existing), to = CustomFieldTypes.NameOf(proposed);
        if (existing.Type == FieldType.Reference && proposed.Type == FieldType.Reference
            && (from != to || !string.Equals(existing.ReferenceTo[0], proposed.ReferenceTo[0], StringComparison.OrdinalIgnoreCase)))
            return $"it is a {from} to {existing.ReferenceTo[0]}, and stored Ids cannot start pointing elsewhere. Define a new field (another api_name) instead.";
        if (existing.Type != proposed.Type && !(IsText(existing.Type) && proposed.Type is FieldType.String or FieldType.TextArea))
            return $"it is a {from} field and stored values cannot become {to}. Define a new field (another api_name) and copy the values over instead.";
        if (proposed.Type is FieldType.String or FieldType.TextArea && proposed.Length < existing.Length)
            return $"its length would shrink from {existing.Length} to {proposed.Length}, which could cut stored values. Keep length {existing.Length} or more.";
        if (proposed.Type is FieldType.Double or FieldType.Currency or FieldType.Percent
            && (proposed.Scale < existing.Scale || proposed.Precision - proposed.Scale < existing.Precision - existing.Scale))
            return $"precision {proposed.Precision}, scale {proposed.Scale} holds fewer digits than the current precision {existing.Precision}, scale {existing.Scale}. Keep or widen them.";
        if (proposed.Type is FieldType.Picklist or FieldType.MultiPicklist)
        {
            var dropped = existing.PicklistValues.Where(v => !proposed.PicklistValues.Contains(v, StringComparer.Ordinal)).ToArray();
            if (dropped.Length > 0)
                return $"values {string.Join(", ", dropped.Select(v => $"'{v}'"))} would be removed while records may hold them. Send all current values plus the new ones.";
        }
        return null;
    }

    static bool IsText(FieldType type) => type is FieldType.String or FieldType.TextArea or FieldType.Email or FieldType.Phone or FieldType.Url or FieldType.Picklist;
}
