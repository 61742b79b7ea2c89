using RevOps.Domain.Errors;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Changes;

/// <summary>Reads the change log: pages of changes, a record's history, and a record as it was at a past time.</summary>
public sealed class ChangeService(IChangeStore changes, IRecordStore records)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static readonly IReadOnlyList<string> Operations =
    [
        ChangeOperations.Created, ChangeOperations.Updated, ChangeOperations.StageChanged, ChangeOperations.Deleted,
        ChangeOperations.Restored, ChangeOperations.Converted, ChangeOperations.Merged,
    ];

    /// <summary>Changes after a sequence, narrowed as the filter says; the filter's values are checked and normalized first.</summary>
    /// <param name="actor">Only changes by this user: a User Id, or a name, email or username that names one user ("Tom" finds Tom Smykowski).</param>
    public async Task<CrmResult<ChangePage>> ListAsync(Caller caller, ChangeFilter filter, CancellationToken ct, string? actor = null)
    {
        if (filter.Limit is < 1 or > MaxLimit)
            return new CrmError(ErrorCodes.InvalidArgument, $"limit must be between 1 and {MaxLimit}; {filter.Limit} was sent.", "limit");
        if (filter.AfterSeq < 0)
            return new CrmError(ErrorCodes.InvalidArgument, $"since_seq must be 0 or more; {filter.AfterSeq} was sent. Send 0 for the first change.", "since_seq");
        if (filter.Operation is { } op && !Operations.Contains(op))
            return new CrmError(ErrorCodes.InvalidArgument, $"operation '{op}' is not a change operation. Use one of {string.Join(", ", Operations)}.", "operation");
        var normalized = filter;
        if (filter.Object is { } name)
        {
            // A custom object's name (Invoice__c) filters as written: no change of another tenant can match it anyway.
            if (Schema.CustomFieldBuilder.IsValidApiName(name.Trim())) normalized = normalized with { Object = name.Trim() };
            else if (!StandardObjects.TryGet(name, out var obj))
                return new CrmError(ErrorCodes.InvalidArgument, $"object '{name}' is not an object of this org. Use one of {string.Join(", ", StandardObjects.All.Select(o => o.Name))}.", "object");
            else normalized = normalized with { Object = obj.Name };
        }
        if (filter.RecordId is { } id)
        {
            if (!SalesforceId.TryNormalize(id, out var full))
                return new CrmError(ErrorCodes.MalformedId, $"'{id}' is not a valid record Id.{SalesforceId.ChecksumProblem(id)} Send the 15- or 18-character Id.", "Id");
            normalized = normalized with { RecordId = full };
        }
        if (!string.IsNullOrWhiteSpace(actor))
        {
            var user = await ResolveActorAsync(caller, actor.Trim(), ct);
            if (!user.IsOk) return user.Error;
            normalized = normalized with { ActorId = user.Value };
        }
        // One row more than asked for tells whether another page follows.
        var rows = await changes.ListAsync(caller.Tenant, normalized with { Limit = filter.Limit + 1 }, ct);
        return rows.Count > filter.Limit ? new ChangePage(rows.Take(filter.Limit).ToArray(), HasMore: true) : new ChangePage(rows, HasMore: false);
    }

    /// <summary>The User Id an actor filter names: an Id as is; else the one user whose name starts with it or whose first name, last name, email or username it is.</summary>
    async Task<CrmResult<string>> ResolveActorAsync(Caller caller, string actor, CancellationToken ct)
    {
        var user = StandardObjects.User;
        if (SalesforceId.TryNormalize(actor, out var id) && SalesforceId.KeyPrefix(id) == user.KeyPrefix) return id;
        var query = new RecordQuery(
            [[
                new Condition(user.Field("Name"), ConditionOp.StartsWith, actor),
                new Condition(user.Field("FirstName"), ConditionOp.Equals, actor),
                new Condition(user.Field("LastName"), ConditionOp.Equals, actor),
                new Condition(user.Field("Email"), ConditionOp.Equals, actor),
                new Condition(user.Field("Username"), ConditionOp.Equals, actor),
            ]], user.Field("Name"), Descending: false, 11);
        var matches = await records.QueryAsync(caller.Tenant, user, query, ct);
        if (matches.Count == 1) return matches[0].Id;
        if (matches.Count > 1)
            return new CrmError(ErrorCodes.MultipleChoices,
                $"actor '{actor}' names {(matches.Count > 10 ? "more than 10" : matches.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} users: {string.Join("; ", matches.Take(10).Select(m => $"{m["Name"]} ({m.Id})"))}. Send the full name or the User Id.", "actor");
        var everyone = await records.QueryAsync(caller.Tenant, user, new RecordQuery([], user.Field("Name"), Descending: false, 10), ct);
        return new CrmError(ErrorCodes.NotFound,
            $"no user of this org is called '{actor}'. Users: {string.Join("; ", everyone.Select(m => $"{m["Name"]} ({m.Id})"))}. Send one of those names or Ids.", "actor");
    }

    /// <summary>Every change of one record, oldest first: each is a version, with who made it, when and what it changed.</summary>
    public async Task<CrmResult<IReadOnlyList<ChangeRow>>> HistoryAsync(Caller caller, ObjectMetadata obj, string? id, CancellationToken ct)
    {
        var parsed = RecordService.ParseOwnId(obj, id);
        if (!parsed.IsOk) return parsed.Error;
        var history = await changes.HistoryAsync(caller.Tenant, parsed.Value, ct);
        if (history.Count == 0) return CrmError.NotFound(obj.Name, id!);
        return CrmResult<IReadOnlyList<ChangeRow>>.Ok(history);
    }

    /// <summary>
    /// The record as it was at <paramref name="asOf"/>: the stored record with every later change
    /// undone, newest first. Before it was created it is not found; in the recycle bin then, it is
    /// ENTITY_IS_DELETED, as a read of a deleted record is today.
    /// </summary>
    public async Task<CrmResult<Record>> AsOfAsync(Caller caller, ObjectMetadata obj, string? id, DateTime asOf, CancellationToken ct)
    {
        var parsed = RecordService.ParseOwnId(obj, id);
        if (!parsed.IsOk) return parsed.Error;
        var history = await changes.HistoryAsync(caller.Tenant, parsed.Value, ct);
        var current = await records.GetAsync(caller.Tenant, obj, parsed.Value, ct);
        string when = ValueJson.FormatDateTime(asOf);
        if (history.Count == 0 && current is null) return CrmError.NotFound(obj.Name, id!);
        var created = history.Count > 0 ? history[0].At : (DateTime)current!["CreatedDate"]!;
        if (created > asOf)
            return new CrmError(ErrorCodes.NotFound, $"{obj.Name} '{id}' did not exist yet at {when}; it was created at {ValueJson.FormatDateTime(created)}. Send a later as_of.", "as_of");
        if (current is null)
            return new CrmError(ErrorCodes.NotFound, $"{obj.Name} '{id}' has been purged from the recycle bin, so its past state cannot be rebuilt. get_record_history still lists its changes.", "Id");

        var record = current.Copy();
        ChangeRow? lastBefore = null;
        for (int i = history.Count - 1; i >= 0; i--)
        {
            if (history[i].At <= asOf)
            {
                lastBefore = history[i];
                break;
            }
            ChangeValues.Apply(record, history[i], before: true);
        }
        if (record.IsDeleted)
            return new CrmError(ErrorCodes.EntityIsDeleted,
                $"{obj.Name} '{id}' was in the recycle bin at {when} (deleted at {ValueJson.FormatDateTime(lastBefore!.At)} by {lastBefore.ActorId}). Send an as_of before that, or get_record_history to see its versions.", "as_of");
        if (lastBefore is not null)
        {
            record["LastModifiedDate"] = lastBefore.At;
            record["SystemModstamp"] = lastBefore.At;
            record["LastModifiedById"] = lastBefore.ActorId;
        }
        return record;
    }
}
