using RevOps.Domain.Metadata;

namespace RevOps.Domain.Soql;

/// <summary>
/// Relationship names: a lookup XxxId is the parent relationship Xxx (Who and What are
/// polymorphic); child relationships are listed here by the parent's name for them. SOQL and
/// describe both read this list, so every relationship describe names can be queried.
/// </summary>
public static class SoqlRelationships
{
    public sealed record Child(ObjectMetadata Parent, string Name, ObjectMetadata Object, FieldMetadata ForeignKey);

    public static readonly IReadOnlyList<Child> Children =
    [
        Make(StandardObjects.Account, "ChildAccounts", StandardObjects.Account, "ParentId"),
        Make(StandardObjects.Account, "Contacts", StandardObjects.Contact, "AccountId"),
        Make(StandardObjects.Account, "Opportunities", StandardObjects.Opportunity, "AccountId"),
        Make(StandardObjects.Account, "Tasks", StandardObjects.Task, "WhatId"),
        Make(StandardObjects.Account, "Events", StandardObjects.Event, "WhatId"),
        Make(StandardObjects.Contact, "DirectReports", StandardObjects.Contact, "ReportsToId"),
        Make(StandardObjects.Contact, "Tasks", StandardObjects.Task, "WhoId"),
        Make(StandardObjects.Contact, "Events", StandardObjects.Event, "WhoId"),
        Make(StandardObjects.Opportunity, "Tasks", StandardObjects.Task, "WhatId"),
        Make(StandardObjects.Opportunity, "Events", StandardObjects.Event, "WhatId"),
        Make(StandardObjects.Lead, "Tasks", StandardObjects.Task, "WhoId"),
        Make(StandardObjects.Lead, "Events", StandardObjects.Event, "WhoId"),
    ];

    static Child Make(ObjectMetadata parent, string name, ObjectMetadata child, string foreignKey) => new(parent, name, child, child.Field(foreignKey));

    public static Child? FindChild(ObjectMetadata parent, string name) =>
        Children.FirstOrDefault(c => c.Parent == parent && string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The lookup behind a parent relationship name (Account → AccountId), when it points at objects we have.</summary>
    public static FieldMetadata? FindParent(ObjectMetadata obj, string relationship)
    {
        if (!obj.TryGetField(relationship + "Id", out var field) || field.Type != FieldType.Reference) return null;
        return field.ReferenceTo.All(t => StandardObjects.TryGet(t, out _)) ? field : null;
    }

    /// <summary>Account for AccountId, Who for WhoId.</summary>
    public static string NameOf(FieldMetadata lookup) => lookup.Custom ? lookup.Name[..^3] + "__r" : lookup.Name[..^2];
}
