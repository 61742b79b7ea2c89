using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;

namespace RevOps.Domain.Imports;

/// <summary>What one column of a file sets.</summary>
public abstract record ImportColumn(int Index, string Header)
{
    /// <summary>A field of the object, by API name or label (Email, "Mailing City").</summary>
    public sealed record Field(int Index, string Header, FieldMetadata Metadata) : ImportColumn(Index, Header);

    /// <summary>
    /// A reference set by a parent's other value: Account.Name, Account.External__c (records of the tenant) or
    /// Owner.Email (the org's users), resolved per batch.
    /// </summary>
    public sealed record Parent(int Index, string Header, FieldMetadata Reference, ObjectMetadata ParentObject, FieldMetadata MatchField) : ImportColumn(Index, Header);

    /// <summary>A value the system sets (Id, CreatedDate, …), as exports hold them: read, not written.</summary>
    public sealed record Ignored(int Index, string Header) : ImportColumn(Index, Header);
}

/// <summary>The columns of a file mapped onto an object as one tenant sees it.</summary>
public sealed record ImportColumns(ObjectSchema Schema, IReadOnlyList<ImportColumn> Columns)
{
    public IEnumerable<ImportColumn.Ignored> Ignored => Columns.OfType<ImportColumn.Ignored>();

    /// <summary>
    /// Each header mapped: API name first, then label, case-insensitive. Unknown headers fail the whole import
    /// before anything is written (a mistyped header would otherwise drop a column of data silently).
    /// </summary>
    /// <param name="keepId">The Id column is the upsert key (--upsert-on Id), not a system value to skip.</param>
    public static CrmResult<ImportColumns> Map(ObjectSchema schema, TenantSchema tenant, IReadOnlyList<string> headers, bool keepId = false)
    {
        var columns = new List<ImportColumn>(headers.Count);
        var unknown = new List<string>();
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < headers.Count; i++)
        {
            string header = headers[i].Trim();
            var column = MapOne(schema, tenant, i, header, keepId);
            if (column is null)
            {
                unknown.Add(header.Length == 0 ? $"(empty header in column {i + 1})" : header);
                continue;
            }
            string target = column switch
            {
                ImportColumn.Field f => f.Metadata.Name,
                ImportColumn.Parent p => p.Reference.Name,
                _ => "",
            };
            if (target.Length > 0 && !seen.TryAdd(target, header))
                return new CrmError(ErrorCodes.InvalidArgument, $"Columns '{seen[target]}' and '{header}' both set {schema.Object.Name}.{target}. Keep one of them.", target);
            columns.Add(column);
        }
        if (unknown.Count > 0)
            return new CrmError(ErrorCodes.InvalidField,
                $"{schema.Object.Name} has no field for the column{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Take(10).Select(u => $"'{u}'"))}. " +
                "Rename each to a field's API name or label (revops field list shows custom fields), or remove it; parents go as Account.Name, Account.<External_Id__c> or Owner.Email.");
        return new ImportColumns(schema, columns);
    }

    /// <summary>An upsert matches on Id or an External ID field, and the file must have its column.</summary>
    public CrmError? CheckUpsertKey(string field)
    {
        if (!Schema.TryGetField(field, out var metadata) || !(metadata.Name == "Id" || metadata.ExternalId))
            return new CrmError(ErrorCodes.InvalidField, $"--upsert-on {field}: {Schema.Object.Name} has no External ID field of that name. Use Id or a custom field defined with --external-id.", field);
        if (!Columns.OfType<ImportColumn.Field>().Any(c => c.Metadata.Name == metadata.Name))
            return new CrmError(ErrorCodes.InvalidArgument, $"--upsert-on {metadata.Name}: the file has no {metadata.Name} column to match on. Add it, or import without --upsert-on.", field);
        return null;
    }

    static ImportColumn? MapOne(ObjectSchema schema, TenantSchema tenant, int index, string header, bool keepId)
    {
        if (schema.TryGetField(header, out var byName)) return AsField(index, header, byName, keepId);
        var byLabel = schema.AllFields.FirstOrDefault(f => string.Equals(f.Label, header, StringComparison.OrdinalIgnoreCase));
        if (byLabel is not null) return AsField(index, header, byLabel, keepId);
        int dot = header.IndexOf('.');
        if (dot > 0) return ParentColumn(schema, tenant, index, header, header[..dot], header[(dot + 1)..]);
        // Report exports name the parent by its label: "Account Name" for Account.Name.
        if (header.EndsWith(" Name", StringComparison.OrdinalIgnoreCase)) return ParentColumn(schema, tenant, index, header, header[..^5].Trim(), "Name");
        return null;
    }

    static ImportColumn AsField(int index, string header, FieldMetadata field, bool keepId) =>
        field.Createable || field.Updateable && !field.System || (keepId && field.Name == "Id")
            ? new ImportColumn.Field(index, header, field)
            : new ImportColumn.Ignored(index, header);

    static ImportColumn? ParentColumn(ObjectSchema schema, TenantSchema tenant, int index, string header, string relationship, string matchName)
    {
        var reference = schema.AllFields.FirstOrDefault(f => f.Type == FieldType.Reference && f.ReferenceTo.Count == 1 && f.Createable
            && string.Equals(RelationshipName(f), relationship, StringComparison.OrdinalIgnoreCase));
        if (reference is null || !StandardObjects.TryGet(reference.ReferenceTo[0], out var parent)) return null;
        if (parent == StandardObjects.User)
            return matchName.Equals("Email", StringComparison.OrdinalIgnoreCase) || matchName.Equals("Username", StringComparison.OrdinalIgnoreCase)
                ? new ImportColumn.Parent(index, header, reference, parent, parent.Field(matchName.Equals("Email", StringComparison.OrdinalIgnoreCase) ? "Email" : "Username"))
                : null;
        var parentSchema = tenant.For(parent);
        if (!parentSchema.TryGetField(matchName, out var match) || !(match.Name == "Name" || match.ExternalId || match.Name == "Id")) return null;
        return new ImportColumn.Parent(index, header, reference, parent, match);
    }

    /// <summary>AccountId → Account, OwnerId → Owner, Parent_Account__c → Parent_Account__r.</summary>
    public static string RelationshipName(FieldMetadata reference) =>
        reference.Name.EndsWith("__c", StringComparison.OrdinalIgnoreCase) ? reference.Name[..^3] + "__r"
        : reference.Name.EndsWith("Id", StringComparison.Ordinal) ? reference.Name[..^2] : reference.Name;
}
