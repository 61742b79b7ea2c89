using System.Text.RegularExpressions;
using RevOps.Domain.Automation;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Webhooks;

namespace RevOps.Domain.Schema;

/// <summary>What a field's deletion did: <paramref name="RecordsCleared"/> records held a value (0 from a check, which deletes nothing).</summary>
public sealed record CustomFieldDeleted(string Object, string Field, int RecordsCleared = 0);

/// <summary>
/// Deletes a custom field, refused while an automation rule (its condition, trigger, actions or merge fields) or a webhook's
/// field filter names it: those would stop matching or fail without saying why, so the answer names each one to change first.
/// The field's values leave every record with it; a field defined again later under the name starts empty.
/// </summary>
public sealed class CustomFieldRemoval(SchemaService schemas, IAutomationStore rules, IWebhookStore webhooks)
{
    /// <summary>What <see cref="DeleteAsync"/> would answer, without deleting: for a confirmation that names the field or the refusal.</summary>
    public async Task<CrmResult<CustomFieldDeleted>> CheckAsync(Caller caller, string? objectName, string? fieldName, CancellationToken ct)
    {
        var found = await FindAsync(caller, objectName, fieldName, ct);
        return found.IsOk ? new CustomFieldDeleted(found.Value.Object.Name, found.Value.Field.Name) : found.Error;
    }

    public async Task<CrmResult<CustomFieldDeleted>> DeleteAsync(Caller caller, string? objectName, string? fieldName, CancellationToken ct)
    {
        var found = await FindAsync(caller, objectName, fieldName, ct);
        if (!found.IsOk) return found.Error;
        var (obj, field) = found.Value;
        if (await schemas.RemoveAsync(caller, obj, field, ct) is not { } cleared)
            return new CrmError(ErrorCodes.NotFound, $"{obj.Name}.{field.Name} was deleted a moment ago by someone else.", "field");
        return new CustomFieldDeleted(obj.Name, field.Name, cleared);
    }

    async Task<CrmResult<(ObjectMetadata Object, FieldMetadata Field)>> FindAsync(Caller caller, string? objectName, string? fieldName, CancellationToken ct)
    {
        if (!caller.Scopes.HasFlag(Scopes.Admin))
            return new CrmError(ErrorCodes.InsufficientAccess, "Deleting fields changes the org's schema and needs an API key with the admin scope.");
        schemas.Forget(caller.Tenant);
        var schema = await schemas.GetAsync(caller.Tenant, ct);
        if (!schema.TryGetObject(objectName?.Trim() ?? "", out var obj))
            return new CrmError(ErrorCodes.InvalidArgument,
                $"object '{Clip(objectName)}' is not an object. Send one of: {string.Join(", ", schema.Objects.Select(o => o.Name))}.", "object");
        var objectSchema = schema.For(obj);
        var field = objectSchema.CustomFields.FirstOrDefault(f => string.Equals(f.Name, fieldName?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (field is null)
            return new CrmError(ErrorCodes.NotFound, objectSchema.CustomFields.Count == 0
                ? $"{obj.Name} has no custom field '{Clip(fieldName)}'; it has no custom fields at all."
                : $"{obj.Name} has no custom field '{Clip(fieldName)}'. Its custom fields: {string.Join(", ", objectSchema.CustomFields.Select(f => f.Name))}.", "field");
        var users = await UsersAsync(caller.Tenant, obj, field, ct);
        if (users.Count > 0)
            return new CrmError(ErrorCodes.Conflict,
                $"{obj.Name}.{field.Name} is used by {string.Join("; ", users)}. Change or delete {(users.Count == 1 ? "it" : "them")} first, then delete the field.", "field");
        return (obj, field);
    }

    /// <summary>"automation rule 'Name' (Id)" and "webhook Id (URL)" for each one that names the field.</summary>
    async Task<IReadOnlyList<string>> UsersAsync(TenantId tenant, ObjectMetadata obj, FieldMetadata field, CancellationToken ct)
    {
        var users = new List<string>();
        var names = new List<string> { field.Name };
        if (field.ChildRelationshipName is not null && field.IsCustomReference) names.Add(field.Name[..^3] + "__r");
        // On the rule's own object the field appears alone (Tier__c, ISCHANGED(Tier__c), {!Tier__c}); on a child's rule, after a relationship (Account.Tier__c).
        var own = new Regex($@"(?<![A-Za-z0-9_])({string.Join('|', names.Select(Regex.Escape))})(?![A-Za-z0-9_])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        var throughParent = new Regex($@"\.({string.Join('|', names.Select(Regex.Escape))})(?![A-Za-z0-9_])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        foreach (var rule in await rules.ListAsync(tenant, ct))
        {
            bool sameObject = string.Equals(rule.Object, obj.Name, StringComparison.OrdinalIgnoreCase);
            if ((sameObject ? own : throughParent).IsMatch(rule.Definition))
                users.Add($"automation rule '{rule.Name}' ({rule.Id}{(sameObject ? "" : ", on " + rule.Object)})");
        }
        foreach (var hook in await webhooks.ListAsync(tenant, ct))
        {
            var filter = hook.Filter;
            if (filter.Fields is null || !filter.Fields.Contains(field.Name, StringComparer.OrdinalIgnoreCase)) continue;
            if (filter.Objects is not null && !filter.Objects.Contains(obj.Name, StringComparer.OrdinalIgnoreCase)) continue;
            users.Add($"webhook {hook.Id} ({hook.Url}), whose field filter names it");
        }
        return users;
    }

    static string Clip(string? text) => text is null ? "" : text.Length > 60 ? text[..60] + "…" : text;
}
