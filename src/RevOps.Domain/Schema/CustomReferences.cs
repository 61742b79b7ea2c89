using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;

namespace RevOps.Domain.Schema;

/// <summary>
/// The checks a Lookup or Master-Detail field needs the tenant's objects for: its target exists, a master-detail
/// sits on a custom object and makes no cycle, and the parent's name for the children is its own.
/// </summary>
public static class CustomReferences
{
    public const int MaxMasterDetailPerObject = 2;

    public static CrmResult<FieldMetadata> Check(TenantSchema schema, ObjectMetadata obj, FieldMetadata field)
    {
        string sent = field.ReferenceTo[0];
        if (!schema.TryGetObject(sent, out var target))
            return new CrmError(ErrorCodes.InvalidArgument,
                $"reference_to '{sent}' is not an object of this org. Send one of: {string.Join(", ", schema.Objects.Select(o => o.Name))}, or define the object first (define_object).", "reference_to");
        field = field with { ReferenceTo = [target.Name] };
        if (field.OnDelete == ReferenceDelete.Cascade)
        {
            if (!obj.IsCustom)
                return new CrmError(ErrorCodes.InvalidArgument,
                    $"A MasterDetail field goes on a custom object (the detail); {obj.Name} is a standard object. Define a Lookup on {obj.Name} instead.", "type");
            if (target == StandardObjects.User || !target.Writable || target.CreatedThrough is not null)
                return new CrmError(ErrorCodes.InvalidArgument, $"{target.Name} cannot be a master. Point a MasterDetail at Account, Contact, Lead, Opportunity or a custom object, or define a Lookup.", "reference_to");
            if (string.Equals(target.Name, obj.Name, StringComparison.OrdinalIgnoreCase) || MasterChainReaches(schema, target, obj.Name))
                return new CrmError(ErrorCodes.InvalidArgument,
                    $"A MasterDetail from {obj.Name} to {target.Name} would make a cycle of masters ({target.Name} is {obj.Name}'s detail already, directly or through others). Define a Lookup instead.", "reference_to");
            int masters = schema.For(obj).CustomFields.Count(f => f.OnDelete == ReferenceDelete.Cascade && !string.Equals(f.Name, field.Name, StringComparison.OrdinalIgnoreCase));
            if (masters >= MaxMasterDetailPerObject)
                return new CrmError(ErrorCodes.InvalidArgument, $"{obj.Name} already has {MaxMasterDetailPerObject} MasterDetail fields, the most an object can have. Define a Lookup instead.", "type");
        }
        string relationship = TenantSchema.ChildRelationshipName(obj, field);
        var clash = schema.ChildrenOf(target).FirstOrDefault(c => string.Equals(c.Name, relationship, StringComparison.OrdinalIgnoreCase)
            && !(c.Object.Name == obj.Name && string.Equals(c.ForeignKey.Name, field.Name, StringComparison.OrdinalIgnoreCase)));
        if (clash is not null)
            return new CrmError(ErrorCodes.InvalidArgument,
                $"{target.Name} already calls its {clash.Object.Name} children (through {clash.ForeignKey.Name}) {relationship}. Send relationship_name with another name, e.g. {obj.Name[..Math.Min(obj.Name.Length - 3, 30)]}_{field.Name[..Math.Min(field.Name.Length - 3, 20)]}.", "relationship_name");
        return field;
    }

    /// <summary>Whether following master-detail fields up from <paramref name="from"/> reaches <paramref name="objectName"/>.</summary>
    static bool MasterChainReaches(TenantSchema schema, ObjectMetadata from, string objectName)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<ObjectMetadata>([from]);
        while (pending.TryDequeue(out var current))
        {
            if (!seen.Add(current.Name)) continue;
            foreach (var master in schema.For(current).CustomFields.Where(f => f.OnDelete == ReferenceDelete.Cascade))
            {
                if (string.Equals(master.ReferenceTo[0], objectName, StringComparison.OrdinalIgnoreCase)) return true;
                if (schema.TryGetObject(master.ReferenceTo[0], out var up)) pending.Enqueue(up);
            }
        }
        return false;
    }
}
