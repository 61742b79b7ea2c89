using RevOps.Domain.Records;

namespace RevOps.Domain.Automation;

/// <summary>
/// Which changes of the rule's object start it: an operation, and for field_changed the fields (any of them); or,
/// for a scheduled rule (<see cref="Scheduled"/>), no change at all: the rule fires on its <see cref="Schedule"/>.
/// </summary>
public sealed record RuleTrigger(string On, IReadOnlyList<string> Fields)
{
    /// <summary>The trigger_on of a scheduled rule: it runs over every record its condition selects, each time its cron fires.</summary>
    public const string Scheduled = "schedule";

    /// <summary>Set for a scheduled rule.</summary>
    public RuleSchedule? Schedule { get; init; }

    public const string Created = "created";
    public const string Updated = "updated";
    public const string CreatedOrUpdated = "created_or_updated";
    public const string Deleted = "deleted";
    public const string FieldChanged = "field_changed";

    public static readonly IReadOnlyList<string> All = [Created, Updated, CreatedOrUpdated, Deleted, FieldChanged];

    /// <summary>The change-log operations as a trigger sees them: a stage change, restore or conversion is an update; a merge deletes the duplicate.</summary>
    public static string Kind(string operation) => operation switch
    {
        ChangeOperations.Created => Created,
        ChangeOperations.Deleted or ChangeOperations.Merged => Deleted,
        _ => Updated,
    };

    public bool Matches(string operation, IEnumerable<string> changedFields)
    {
        string kind = Kind(operation);
        return On switch
        {
            Created => kind == Created,
            Updated => kind == Updated,
            CreatedOrUpdated => kind is Created or Updated,
            Deleted => kind == Deleted,
            FieldChanged => kind is Created or Updated && changedFields.Any(f => Fields.Contains(f, StringComparer.OrdinalIgnoreCase)),
            _ => false,
        };
    }

    public bool SeesDeleted => On == Deleted;
}
