namespace RevOps.Domain.Schema;

/// <summary>
/// A tenant's custom object (Invoice__c): its labels, how records are named, and the key prefix
/// its Ids start with (a00, a01, … in the order the tenant defined its objects).
/// </summary>
/// <param name="AutoNumberFormat">INV-{0000} when records are numbered by the server; null when callers send Name.</param>
public sealed record CustomObjectDefinition(
    string Name,
    string Label,
    string PluralLabel,
    string KeyPrefix,
    string NameLabel,
    string? AutoNumberFormat,
    string? Description,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>A custom object as a caller asks for it, before validation.</summary>
/// <param name="NameFieldType">Text (default) or AutoNumber.</param>
public sealed record CustomObjectSpec(
    string Name,
    string? Label = null,
    string? PluralLabel = null,
    string? NameFieldType = null,
    string? AutoNumberFormat = null,
    string? NameLabel = null,
    string? Description = null);
