using System.Text.Json;
using RevOps.Domain.Audit;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Domain.Schema;
using RevOps.Domain.Writes;

namespace RevOps.Domain.Users;

/// <summary>User records as the user commands write them: validated by the same field rules as any record.</summary>
internal static class UserRecords
{
    static readonly ObjectSchema Schema = TenantSchema.Standard.For(StandardObjects.User);

    /// <summary>A new, valid user record with its Id and audit fields; <paramref name="createdById"/> null means the user created itself (the operator or the CLI did).</summary>
    public static CrmResult<Record> New(NewUser spec, string id, string? createdById, DateTime now)
    {
        string? email = spec.Email?.Trim();
        if (string.IsNullOrEmpty(email))
            return new CrmError(ErrorCodes.RequiredFieldMissing, "email is required: send the user's email address, e.g. sarah@acme.com (it is also the username unless you send one).", "email");
        var (first, last) = SplitName(spec);
        if (string.IsNullOrEmpty(last))
            return new CrmError(ErrorCodes.RequiredFieldMissing, "name is required: send the user's full name, e.g. \"Sarah Johnson\".", "name");
        var values = new Dictionary<string, string?>
        {
            ["Username"] = string.IsNullOrWhiteSpace(spec.Username) ? email : spec.Username.Trim(),
            ["Email"] = email,
            ["FirstName"] = first,
            ["LastName"] = last,
            ["Alias"] = Alias(first, last),
            ["Title"] = spec.Title,
            ["Department"] = spec.Department,
            ["Phone"] = spec.Phone,
            ["MobilePhone"] = spec.MobilePhone,
            ["TimeZoneSidKey"] = string.IsNullOrWhiteSpace(spec.TimeZone) ? "GMT" : spec.TimeZone.Trim(),
            ["LocaleSidKey"] = "en_US",
            ["LanguageLocaleKey"] = "en_US",
        };
        var input = RecordInput.From(values.Where(v => v.Value is not null)
            .Select(v => new KeyValuePair<string, JsonElement>(v.Key, JsonSerializer.SerializeToElement(v.Value, DomainJson.Default.String))));
        var record = Record.Empty(StandardObjects.User);
        FieldApplier.ApplyDefaults(Schema, record);
        var applied = FieldApplier.Apply(Schema, record, input, creating: true);
        if (!applied.IsOk) return applied.Error;
        ObjectRules.Apply(record, null, applied.Value);
        record["Id"] = id;
        record["IsDeleted"] = false;
        record["IsActive"] = true;
        record["UserType"] = "Standard";
        record["CreatedDate"] = now;
        record["LastModifiedDate"] = now;
        record["SystemModstamp"] = now;
        record["CreatedById"] = createdById ?? id;
        record["LastModifiedById"] = createdById ?? id;
        return record;
    }

    /// <summary>The change-log entry of a user write by <paramref name="by"/>.</summary>
    public static ChangeEntry Change(AuditSource by, Record record, string operation, IReadOnlyList<FieldChange> changes, DateTime at) =>
        new(StandardObjects.User.Name, record.Id, operation, changes, by.ActorId, by.Channel, at)
        {
            RequestId = by.RequestId,
            ActorName = by.ActorName,
            KeyId = by.KeyId,
        };

    static (string? First, string? Last) SplitName(NewUser spec)
    {
        if (!string.IsNullOrWhiteSpace(spec.LastName)) return (spec.FirstName?.Trim(), spec.LastName.Trim());
        string name = spec.Name?.Trim() ?? "";
        int space = name.LastIndexOf(' ');
        return space < 0 ? (spec.FirstName?.Trim(), name) : (name[..space].Trim(), name[(space + 1)..]);
    }

    /// <summary>Salesforce's default alias: the first letter of the first name and up to seven of the last.</summary>
    static string Alias(string? first, string? last)
    {
        string alias = (string.IsNullOrEmpty(first) ? "" : first[..1]) + (last ?? "");
        alias = new string(alias.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
        return alias.Length > 8 ? alias[..8] : alias;
    }
}
