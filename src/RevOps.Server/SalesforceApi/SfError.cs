using RevOps.Domain.Errors;

namespace RevOps.Server.SalesforceApi;

/// <summary>A Salesforce REST error: the HTTP status and the [{message, errorCode, fields}] entry clients branch on.</summary>
public sealed record SfError(int Status, string ErrorCode, string Message, IReadOnlyList<string>? Fields = null)
{
    /// <summary>DUPLICATES_DETECTED: the records the refused one may duplicate (written as Salesforce's duplicateResult).</summary>
    public IReadOnlyList<Domain.Writes.DuplicateMatch>? Duplicates { get; init; }

    /// <summary>The object of the refused record, for the duplicateResult.</summary>
    public string? Object { get; init; }

    public static SfError InvalidSession() => new(401, "INVALID_SESSION_ID", "Session expired or invalid");

    public static SfError NotFound(string? message = null) => new(404, "NOT_FOUND", message ?? "The requested resource does not exist");

    public static SfError MethodNotAllowed(string method, string allowed) =>
        new(405, "METHOD_NOT_ALLOWED", $"HTTP Method '{method}' not allowed. Allowed are {allowed}");

    public static SfError JsonParser(string message) => new(400, "JSON_PARSER_ERROR", message);

    /// <summary>Our domain errors as Salesforce names and status codes.</summary>
    public static SfError From(CrmError error)
    {
        IReadOnlyList<string> fields = error.Field is { } f ? [f] : [];
        return error.Code switch
        {
            ErrorCodes.NotFound => new(404, "NOT_FOUND", error.Message, fields),
            ErrorCodes.EntityIsDeleted => new(404, "ENTITY_IS_DELETED", error.Message, fields),
            ErrorCodes.InsufficientAccess => new(403, "INSUFFICIENT_ACCESS", error.Message, fields),
            ErrorCodes.Conflict => new(409, "UNABLE_TO_LOCK_ROW", error.Message, fields),
            ErrorCodes.InvalidFieldValue => new(400, "FIELD_CUSTOM_VALIDATION_EXCEPTION", error.Message, fields),
            ErrorCodes.InvalidArgument => new(400, "INVALID_FIELD", error.Message, fields),
            ErrorCodes.CannotUpdateConvertedLead or ErrorCodes.AlreadyConverted => new(400, "CANNOT_UPDATE_CONVERTED_LEAD", error.Message, fields),
            ErrorCodes.UndeleteFailed => new(400, "UNDELETE_FAILED", error.Message, fields),
            _ => new(400, error.Code, error.Message, fields) { Duplicates = error.Duplicates },
        };
    }
}
