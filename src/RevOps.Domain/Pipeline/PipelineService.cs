using System.Globalization;
using RevOps.Domain.Errors;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Pipeline;

/// <summary>The sales pipeline of the caller's tenant: what is open, what it is worth, what closed.</summary>
public sealed class PipelineService(IPipelineStore store, IRecordStore records, TimeProvider time)
{
    /// <param name="accountId">An Account Id (15 or 18 characters) to narrow to, or null.</param>
    /// <param name="from">YYYY-MM-DD; defaults to the first day of the current calendar quarter (UTC).</param>
    /// <param name="to">YYYY-MM-DD; defaults to the last day of the current calendar quarter (UTC).</param>
    public Task<CrmResult<PipelineSummary>> SummarizeAsync(Caller caller, string? accountId, string? from, string? to, CancellationToken ct) =>
        SummarizeAsync(caller, accountId, from, to, new PipelineOptions(), ct);

    /// <param name="options">The close-date window, owner and stages every bucket is narrowed to, and how many top deals to list.
    /// A close window also bounds the won/lost period where from or to is not sent.</param>
    public async Task<CrmResult<PipelineSummary>> SummarizeAsync(Caller caller, string? accountId, string? from, string? to, PipelineOptions options, CancellationToken ct)
    {
        var filter = await FilterAsync(caller, options, ct);
        if (!filter.IsOk) return filter.Error;
        var (quarterStart, quarterEnd) = CurrentQuarter();
        bool window = filter.Value.CloseFrom is not null || filter.Value.CloseTo is not null;
        var start = ParseDate("from", from, window ? filter.Value.CloseFrom ?? DateOnly.MinValue : quarterStart);
        if (!start.IsOk) return start.Error;
        var end = ParseDate("to", to, window ? filter.Value.CloseTo ?? DateOnly.MaxValue : quarterEnd);
        if (!end.IsOk) return end.Error;
        if (start.Value > end.Value)
            return new CrmError(ErrorCodes.InvalidArgument,
                $"from ({Format(start.Value)}) is after to ({Format(end.Value)}). Send from on or before to; either defaults to the current quarter's bounds ({Format(quarterStart)} to {Format(quarterEnd)}).", "from");

        string? account = null;
        if (!string.IsNullOrWhiteSpace(accountId))
        {
            var parsed = ParseAccountId(accountId.Trim());
            if (!parsed.IsOk) return parsed.Error;
            if (!await records.ExistsAsync(caller.Tenant, StandardObjects.Account, parsed.Value, ct))
                return CrmError.NotFound("Account", accountId);
            account = parsed.Value;
        }

        var narrowed = filter.Value with { AccountId = account };
        var figures = await store.SummarizeAsync(caller.Tenant, narrowed, start.Value, end.Value, ct);
        var byStage = figures.OpenByStage.OrderBy(b => StageOrder(b.Key)).ThenBy(b => b.Key, StringComparer.Ordinal).ToArray();
        var byMonth = figures.OpenByCloseMonth.OrderBy(b => b.Key, StringComparer.Ordinal).ToArray();
        var open = new PipelineBucket("Open", byStage.Sum(b => b.Count), byStage.Sum(b => b.Amount), byStage.Sum(b => b.WeightedAmount));
        var top = options.Top > 0 ? await TopDealsAsync(caller, narrowed, options.Top, ct) : null;
        return new PipelineSummary(account, start.Value, end.Value, open, byStage, byMonth, figures.Won, figures.Lost) { Filter = narrowed, TopDeals = top };
    }

    /// <summary>The close window, owner and stages, checked: dates or SOQL date literals, "me" or a User Id, stages of the picklist.</summary>
    async Task<CrmResult<PipelineFilter>> FilterAsync(Caller caller, PipelineOptions options, CancellationToken ct)
    {
        if (options.Top is < 0 or > PipelineOptions.MaxTop)
            return new CrmError(ErrorCodes.InvalidArgument, $"top must be between 0 and {PipelineOptions.MaxTop}; {options.Top} was sent.", "top");
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var from = ParseWindow("closeFrom", options.CloseFrom, today);
        if (!from.IsOk) return from.Error;
        var to = ParseWindow("closeTo", options.CloseTo, today);
        if (!to.IsOk) return to.Error;
        DateOnly? closeFrom = from.Value?.First;
        // A literal alone ("closeFrom": "THIS_QUARTER") is its whole range.
        DateOnly? closeTo = to.Value?.Last ?? (from.Value is { IsLiteral: true } literal ? literal.Last : null);
        if (closeFrom > closeTo)
            return new CrmError(ErrorCodes.InvalidArgument, $"closeFrom ({Format(closeFrom!.Value)}) is after closeTo ({Format(closeTo!.Value)}). Send closeFrom on or before closeTo.", "closeFrom");

        string? owner = null;
        if (!string.IsNullOrWhiteSpace(options.OwnerId))
        {
            string text = options.OwnerId.Trim();
            if (string.Equals(text, "me", StringComparison.OrdinalIgnoreCase)) owner = caller.ActorId;
            else if (!SalesforceId.TryNormalize(text, out var id) || SalesforceId.KeyPrefix(id) != StandardObjects.User.KeyPrefix)
                return new CrmError(ErrorCodes.MalformedId, $"ownerId: '{text}' is not a User Id.{SalesforceId.ChecksumProblem(text)} Send \"me\" or a User Id (005…) from find_records with object User.", "ownerId");
            else if (!await records.ExistsAsync(caller.Tenant, StandardObjects.User, id, ct))
                return new CrmError(ErrorCodes.NotFound, $"ownerId: no User '{text}' in this org. Send \"me\" or a User Id from find_records with object User.", "ownerId");
            else owner = id;
        }

        List<string>? stages = null;
        if (options.Stages is { Count: > 0 })
        {
            stages = [];
            foreach (var stage in options.Stages)
            {
                var known = OpportunityStages.All.FirstOrDefault(s => string.Equals(s.Name, stage.Trim(), StringComparison.OrdinalIgnoreCase));
                if (known is null)
                    return new CrmError(ErrorCodes.InvalidPicklistValue,
                        $"stages: '{stage}' is not an opportunity stage. Send some of: {string.Join(", ", OpportunityStages.All.Select(s => s.Name))}.", "stages");
                if (!stages.Contains(known.Name)) stages.Add(known.Name);
            }
        }
        return new PipelineFilter(null, owner, closeFrom, closeTo, stages);
    }

    /// <summary>YYYY-MM-DD (one day), or a SOQL date literal such as THIS_QUARTER or NEXT_N_MONTHS:3 (its range).</summary>
    static CrmResult<(DateOnly First, DateOnly Last, bool IsLiteral)?> ParseWindow(string argument, string? text, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(text)) return CrmResult<(DateOnly, DateOnly, bool)?>.Ok(null);
        text = text.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return (date, date, false);
        var parts = text.Split(':', 2);
        if (parts.Length == 1 && Soql.DateLiterals.IsFixed(parts[0])) return Literal(parts[0], null);
        if (parts.Length == 2 && Soql.DateLiterals.IsParameterized(parts[0]) && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            return Literal(parts[0], n);
        return new CrmError(ErrorCodes.InvalidArgument,
            $"{argument}: '{text}' is neither a date nor a SOQL date literal. Send YYYY-MM-DD, e.g. 2026-10-01, or a literal such as THIS_QUARTER, NEXT_QUARTER or NEXT_N_MONTHS:3.", argument);

        CrmResult<(DateOnly, DateOnly, bool)?> Literal(string name, int? count)
        {
            var (first, last) = Soql.DateLiterals.Range(name, count, today);
            return (first, last, true);
        }
    }

    /// <summary>The biggest open deals under the filter, by Amount (deals without one are not among them), with their owners' names.</summary>
    async Task<IReadOnlyList<PipelineDeal>> TopDealsAsync(Caller caller, PipelineFilter filter, int top, CancellationToken ct)
    {
        var opp = StandardObjects.Opportunity;
        var conditions = new List<IReadOnlyList<Condition>>
        {
            new[] { new Condition(opp.Field("IsClosed"), ConditionOp.Equals, false) },
            new[] { new Condition(opp.Field("Amount"), ConditionOp.NotEquals, null) },
        };
        if (filter.AccountId is { } account) conditions.Add([new Condition(opp.Field("AccountId"), ConditionOp.Equals, account)]);
        if (filter.OwnerId is { } owner) conditions.Add([new Condition(opp.Field("OwnerId"), ConditionOp.Equals, owner)]);
        if (filter.CloseFrom is { } closeFrom) conditions.Add([new Condition(opp.Field("CloseDate"), ConditionOp.GreaterOrEqual, closeFrom)]);
        if (filter.CloseTo is { } closeTo) conditions.Add([new Condition(opp.Field("CloseDate"), ConditionOp.LessOrEqual, closeTo)]);
        if (filter.Stages is { } stages) conditions.Add(stages.Select(s => new Condition(opp.Field("StageName"), ConditionOp.Equals, s)).ToArray());
        var deals = await records.QueryAsync(caller.Tenant, opp, new RecordQuery(conditions, opp.Field("Amount"), Descending: true, top), ct);

        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var ownerId in deals.Select(d => d["OwnerId"] as string).OfType<string>().Distinct())
            names[ownerId] = (await records.GetAsync(caller.Tenant, StandardObjects.User, ownerId, ct))?["Name"] as string;
        return deals.Select(d => new PipelineDeal(d.Id, d["Name"] as string, Convert.ToDouble(d["Amount"], CultureInfo.InvariantCulture), d["StageName"] as string,
            d["CloseDate"] as DateOnly?, d["OwnerId"] as string, d["OwnerId"] is string o ? names.GetValueOrDefault(o) : null)).ToArray();
    }

    (DateOnly Start, DateOnly End) CurrentQuarter()
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var start = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1);
        return (start, start.AddMonths(3).AddDays(-1));
    }

    static CrmResult<DateOnly> ParseDate(string argument, string? text, DateOnly fallback)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        return new CrmError(ErrorCodes.InvalidArgument, $"{argument}: '{text}' is not a date. Send YYYY-MM-DD, e.g. 2026-04-01, or leave it out for the current quarter.", argument);
    }

    /// <summary>The same checks a reference field gets: a well-formed Id, and an Account's (001…).</summary>
    static CrmResult<string> ParseAccountId(string text)
    {
        if (!SalesforceId.TryNormalize(text, out var id))
            return new CrmError(ErrorCodes.MalformedId, $"accountId: '{text}' is not a valid record Id.{SalesforceId.ChecksumProblem(text)} Send the 15- or 18-character Id of the Account.", "accountId");
        var target = StandardObjects.ForKeyPrefix(SalesforceId.KeyPrefix(id));
        if (target != StandardObjects.Account)
        {
            string actual = target is null ? "an unknown object" : Suggestions.WithArticle(target.Name);
            return new CrmError(ErrorCodes.InvalidCrossReference, $"accountId must be an Account Id (001…); '{text}' is the Id of {actual}.", "accountId");
        }
        return id;
    }

    static int StageOrder(string stage)
    {
        for (int i = 0; i < OpportunityStages.All.Count; i++)
            if (string.Equals(OpportunityStages.All[i].Name, stage, StringComparison.OrdinalIgnoreCase)) return i;
        return int.MaxValue;
    }

    static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
