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

    /// <summary>Set for a scheduled rule (a relative-date rule is one too: it fires daily).</summary>
    public RuleSchedule? Schedule { get; init; }

    /// <summary>A relative-date rule's Date or DateTime field: each day's fire acts on the records whose field is <see cref="OffsetDays"/> away.</summary>
    public Metadata.FieldMetadata? RelativeTo { get; init; }

    /// <summary>Days from the field's date to the day the rule acts: -7 is a week before CloseDate, 30 a month after CreatedDate.</summary>
    public int OffsetDays { get; init; }

    /// <summary>
    /// The SOQL condition that selects a relative-date rule's records on the local day of a fire: the field's date
    /// is that day minus the offset (a DateTime field: any time in that day of the rule's time zone).
    /// </summary>
    public string? RelativeCondition(DateTime fireUtc)
    {
        if (RelativeTo is null || Schedule is null) return null;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Schedule.TimeZone);
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(fireUtc, DateTimeKind.Utc), zone)).AddDays(-OffsetDays);
        if (RelativeTo.Type == Metadata.FieldType.Date)
            return $"{RelativeTo.Name} = {day:yyyy-MM-dd}";
        DateTime start = TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue), zone), end = TimeZoneInfo.ConvertTimeToUtc(day.AddDays(1).ToDateTime(TimeOnly.MinValue), zone);
        return $"{RelativeTo.Name} >= {start:yyyy-MM-ddTHH:mm:ssZ} AND {RelativeTo.Name} < {end:yyyy-MM-ddTHH:mm:ssZ}";
    }

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
