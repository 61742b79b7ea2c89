using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Soql;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Writes;

/// <summary>One record of a tree, flattened: its parent (an earlier node) and the lookup that points at it.</summary>
public sealed record TreeNode(string ReferenceId, ObjectMetadata Object, RecordInput Fields, int Parent, FieldMetadata? ParentLink);

/// <summary>A record of the tree that could not be created, by its reference.</summary>
public sealed record TreeError(string ReferenceId, CrmError Error);

/// <summary>A record the tree created.</summary>
public sealed record TreeCreated(string ReferenceId, ObjectMetadata Object, string Id);

/// <summary>What a tree did: every record created, or the errors of those at fault and nothing written.</summary>
public sealed record TreeOutcome(IReadOnlyList<TreeCreated> Created, IReadOnlyList<TreeError> Errors)
{
    public bool HasErrors => Errors.Count > 0;
}

/// <summary>
/// Salesforce's sObject Tree: records with their children nested under child relationship names
/// ({"Name": "Acme", "Contacts": {"records": [...]}}), created in one transaction through
/// <see cref="RecordBatch"/> (every record through the same rules and change log as any create),
/// or none when any fails. Parents come before their children (level by level, as Salesforce
/// answers), and each child gets its parent's Id in the relationship's lookup (Contact.AccountId,
/// Task.WhatId or WhoId …).
/// </summary>
public sealed class RecordTree(RecordBatch batch)
{
    public const int MaxRecords = 200;
    public const int MaxDepth = 5;
    const string ReferencePattern = "letters, digits and underscores, starting with a letter or digit";

    /// <param name="lenient">MCP's form: attributes may be left out (the type follows from the relationship, the reference from the path, e.g. Contacts[0]), and a relationship may be a plain array.</param>
    public async Task<CrmResult<TreeOutcome>> CreateAsync(Caller caller, ObjectMetadata root, JsonElement records, bool lenient, CancellationToken ct)
    {
        if (!caller.CanWrite) return RecordService.ReadOnlyKey(root);
        var parsed = Parse(root, records, lenient);
        if (!parsed.IsOk) return parsed.Error;
        var (nodes, errors) = parsed.Value;
        if (errors.Count > 0) return new TreeOutcome([], errors);

        var results = await batch.ApplyAsync(caller, nodes.Count, (i, done) => Item(nodes[i], done), allOrNone: true, ct);
        var failed = results.Select((r, i) => (r, i))
            .Where(x => x.r.Error is { } e && e.Code != ErrorCodes.AllOrNoneRolledBack)
            .Select(x => new TreeError(nodes[x.i].ReferenceId, x.r.Error!)).ToArray();
        if (failed.Length > 0 || results.Any(r => !r.Success))
            return new TreeOutcome([], failed.Length > 0 ? failed : [new TreeError(nodes[0].ReferenceId, results.First(r => !r.Success).Error!)]);
        return new TreeOutcome(nodes.Select((n, i) => new TreeCreated(n.ReferenceId, n.Object, results[i].Id!)).ToArray(), []);
    }

    /// <summary>The node as a create, with its parent's Id (already prepared: parents come first) in the lookup.</summary>
    static CrmResult<BatchItem> Item(TreeNode node, IReadOnlyList<BatchItemResult> done)
    {
        if (node.Parent < 0) return new BatchItem(BatchOperation.Create, node.Object, null, node.Fields);
        // A parent that failed carries its own error; its children are only rolled back with it.
        if (done[node.Parent].Id is not { } parentId) return RecordBatch.RolledBack;
        var fields = node.Fields.Fields.Append(new(node.ParentLink!.Name, FieldApplier.ToJson(parentId))).ToArray();
        return new BatchItem(BatchOperation.Create, node.Object, null, new RecordInput(fields));
    }

    /// <summary>The tree flattened level by level, or the records whose shape is wrong; a body that is no tree at all is an error.</summary>
    public static CrmResult<(List<TreeNode> Nodes, List<TreeError> Errors)> Parse(ObjectMetadata root, JsonElement records, bool lenient)
    {
        if (records.ValueKind != JsonValueKind.Array || records.GetArrayLength() == 0)
            return new CrmError(ErrorCodes.InvalidArgument, "Send records: an array of at least one record, e.g. [{\"attributes\": {\"type\": \"Account\", \"referenceId\": \"ref1\"}, \"Name\": \"Acme\"}].", "records");
        var nodes = new List<TreeNode>();
        var errors = new List<TreeError>();
        var references = new HashSet<string>(StringComparer.Ordinal);
        // Breadth first: (record, its object, parent index, link, depth, path).
        var queue = new Queue<(JsonElement Record, ObjectMetadata Object, int Parent, FieldMetadata? Link, int Depth, string Path)>();
        int index = 0;
        foreach (var record in records.EnumerateArray()) queue.Enqueue((record, root, -1, null, 1, $"{root.Name}[{index++}]"));
        // One record sent the MCP way: it is the root, and its children's references start at their relationship (Contacts[0]).
        bool single = lenient && index == 1;
        if (single) queue = new(queue.Select(q => q with { Path = root.Name }));
        int total = 0;
        while (queue.Count > 0)
        {
            var (record, obj, parent, link, depth, path) = queue.Dequeue();
            if (++total > MaxRecords)
                return new CrmError(ErrorCodes.InvalidArgument, $"A tree holds at most {MaxRecords} records in all; this one holds more. Send the rest in another request.", "records");
            if (record.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(path, new CrmError(ErrorCodes.InvalidType, $"{path} must be a record object, e.g. {{\"attributes\": {{\"type\": \"{obj.Name}\", \"referenceId\": \"ref1\"}}, …}}; got {record.ValueKind}.")));
                continue;
            }
            var reference = Reference(record, obj, path, lenient);
            if (!reference.IsOk)
            {
                errors.Add(new(path, reference.Error));
                continue;
            }
            string referenceId = reference.Value;
            if (!references.Add(referenceId))
            {
                errors.Add(new(referenceId, new CrmError(ErrorCodes.InvalidArgument, $"Duplicate referenceId '{referenceId}': each record of the request needs its own.", "referenceId")));
                continue;
            }
            var fields = new List<KeyValuePair<string, JsonElement>>();
            int self = nodes.Count;
            foreach (var property in record.EnumerateObject())
            {
                if (property.Name == "attributes") continue;
                var child = SoqlRelationships.FindChild(obj, property.Name);
                bool nested = property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("records", out _)
                    || lenient && property.Value.ValueKind == JsonValueKind.Array && child is not null;
                if (!nested)
                {
                    if (link is not null && string.Equals(property.Name, link.Name, StringComparison.OrdinalIgnoreCase))
                    {
                        errors.Add(new(referenceId, new CrmError(ErrorCodes.InvalidArgument,
                            $"{referenceId}: {link.Name} is set by the tree to its parent's Id. Leave it out, or send the record outside the tree.", link.Name)));
                    }
                    fields.Add(new(property.Name, property.Value));
                    continue;
                }
                if (child is null)
                {
                    var known = SoqlRelationships.Children.Where(c => c.Parent == obj).Select(c => c.Name).ToArray();
                    errors.Add(new(referenceId, new CrmError(ErrorCodes.InvalidField,
                        $"{referenceId}: '{property.Name}' is not a child relationship of {obj.Name}. " +
                        (known.Length > 0 ? $"Nest children under {string.Join(", ", known)}." : $"{obj.Name} records have no children in a tree."), property.Name)));
                    continue;
                }
                if (depth == MaxDepth)
                {
                    errors.Add(new(referenceId, new CrmError(ErrorCodes.InvalidArgument, $"{referenceId}: a tree goes at most {MaxDepth} levels deep; {child.Name} would be level {depth + 1}. Create them in another request.", child.Name)));
                    continue;
                }
                var list = property.Value.ValueKind == JsonValueKind.Array ? property.Value : property.Value.GetProperty("records");
                if (list.ValueKind != JsonValueKind.Array)
                {
                    errors.Add(new(referenceId, new CrmError(ErrorCodes.InvalidType, $"{referenceId}: {child.Name}.records must be an array of records.", child.Name)));
                    continue;
                }
                int i = 0;
                foreach (var item in list.EnumerateArray())
                    queue.Enqueue((item, child.Object, self, child.ForeignKey, depth + 1, single && depth == 1 ? $"{child.Name}[{i++}]" : $"{path}.{child.Name}[{i++}]"));
            }
            // Added even when bad (nothing is written then): its children's parent indexes stay right.
            nodes.Add(new TreeNode(referenceId, obj, new RecordInput(fields), parent, link));
        }
        return (nodes, errors);
    }

    /// <summary>attributes.type must be the object the place in the tree calls for; referenceId is required (lenient: the path).</summary>
    static CrmResult<string> Reference(JsonElement record, ObjectMetadata expected, string path, bool lenient)
    {
        JsonElement attributes = default;
        bool hasAttributes = record.TryGetProperty("attributes", out attributes) && attributes.ValueKind == JsonValueKind.Object;
        if (!hasAttributes && !lenient)
            return new CrmError(ErrorCodes.InvalidArgument, $"{path} needs attributes: {{\"type\": \"{expected.Name}\", \"referenceId\": \"ref1\"}}.", "attributes");
        string? type = hasAttributes && attributes.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type is null && !lenient)
            return new CrmError(ErrorCodes.InvalidType, $"{path} needs attributes.type \"{expected.Name}\".", "type");
        if (type is not null && !string.Equals(type, expected.Name, StringComparison.OrdinalIgnoreCase))
            return new CrmError(ErrorCodes.InvalidType,
                $"{path} has type '{type}' where the tree calls for {expected.Name}" +
                (StandardObjects.TryGet(type, out _) ? "" : $" ('{type}' is not an object of this org)") + $". Send attributes.type \"{expected.Name}\".", "type");
        string? reference = hasAttributes && attributes.TryGetProperty("referenceId", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        if (reference is null)
        {
            if (lenient) return path;
            return new CrmError(ErrorCodes.InvalidArgument, $"{path} needs attributes.referenceId, unique in the request ({ReferencePattern}), e.g. \"ref1\".", "referenceId");
        }
        if (reference.Length == 0 || reference.Length > 80 || !char.IsAsciiLetterOrDigit(reference[0]) || !reference.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            return new CrmError(ErrorCodes.InvalidArgument, $"{path}: referenceId '{Shorten(reference)}' must be {ReferencePattern}, at most 80 characters.", "referenceId");
        return reference;
    }

    static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
