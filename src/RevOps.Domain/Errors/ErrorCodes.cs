namespace RevOps.Domain.Errors;

/// <summary>The error vocabulary, named as Salesforce names them where Salesforce has a name.</summary>
public static class ErrorCodes
{
    public const string NotFound = "NOT_FOUND";
    public const string DuplicateUsername = "DUPLICATE_USERNAME";
    public const string RequiredFieldMissing = "REQUIRED_FIELD_MISSING";
    public const string InvalidField = "INVALID_FIELD";
    public const string InvalidFieldValue = "INVALID_FIELD_VALUE";
    public const string InvalidType = "INVALID_TYPE";
    public const string MalformedId = "MALFORMED_ID";
    public const string InvalidPicklistValue = "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST";
    public const string InvalidCrossReference = "INVALID_CROSS_REFERENCE_KEY";
    public const string ReadOnlyField = "INVALID_FIELD_FOR_INSERT_UPDATE";
    public const string InsufficientAccess = "INSUFFICIENT_ACCESS";
    public const string InvalidArgument = "INVALID_ARGUMENT";
    public const string Conflict = "CONFLICT";
    public const string EntityIsDeleted = "ENTITY_IS_DELETED";
    public const string DuplicatesDetected = "DUPLICATES_DETECTED";
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
    public const string CannotUpdateConvertedLead = "CANNOT_UPDATE_CONVERTED_LEAD";
    public const string AlreadyConverted = "CONVERTED_LEAD";
    public const string UndeleteFailed = "UNDELETE_FAILED";
    public const string DuplicateValue = "DUPLICATE_VALUE";
    public const string MultipleChoices = "MULTIPLE_CHOICES";
    public const string AllOrNoneRolledBack = "ALL_OR_NONE_OPERATION_ROLLED_BACK";
    public const string MalformedQuery = "MALFORMED_QUERY";
    public const string InvalidQueryFilterOperator = "INVALID_QUERY_FILTER_OPERATOR";
    public const string InvalidQueryLocator = "INVALID_QUERY_LOCATOR";
    public const string NumberOutsideValidRange = "NUMBER_OUTSIDE_VALID_RANGE";
    public const string StorageLimitExceeded = "STORAGE_LIMIT_EXCEEDED";
    public const string DeleteFailed = "DELETE_FAILED";
}
