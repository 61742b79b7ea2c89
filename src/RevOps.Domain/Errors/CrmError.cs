namespace RevOps.Domain.Errors;

/// <summary>
/// An expected failure: a stable UPPER_SNAKE code, a message that says what was wrong and what
/// to send instead, and the field it concerns. MCP and REST both render it from this one shape.
/// </summary>
public sealed record CrmError(string Code, string Message, string? Field = null)
{
    public override string ToString() => $"{Code}: {Message}";

    /// <summary>For DUPLICATES_DETECTED: the records the refused one may duplicate.</summary>
    public IReadOnlyList<Writes.DuplicateMatch>? Duplicates { get; init; }

    public static CrmError NotFound(string objectName, string id) =>
        new(ErrorCodes.NotFound, $"no {objectName.ToLowerInvariant()} '{id}' in this org. Check the Id, or search for the record first.");

    public static CrmError Required(string objectName, string field) =>
        new(ErrorCodes.RequiredFieldMissing, $"{objectName}.{field} is required. Send a value for '{field}'.", field);

    public static CrmError InvalidValue(string field, string message) =>
        new(ErrorCodes.InvalidFieldValue, message, field);
}
