using System.Text.Json;

namespace RevOps.Domain.Schema;

/// <summary>A custom field as a caller asks for it, before validation.</summary>
public sealed record CustomFieldSpec(
    string Object,
    string ApiName,
    string Type,
    string? Label = null,
    int? Length = null,
    int? Precision = null,
    int? Scale = null,
    bool Required = false,
    JsonElement? Default = null,
    IReadOnlyList<string>? Values = null,
    string? Description = null,
    bool ExternalId = false,
    bool Unique = false,
    string? ReferenceTo = null,
    string? OnDelete = null,
    string? RelationshipName = null);

/// <summary>A tenant's custom field on one object.</summary>
public sealed record CustomFieldDefinition(string Object, Metadata.FieldMetadata Field, DateTime CreatedAt, DateTime UpdatedAt);
