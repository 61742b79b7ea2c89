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
    public async Task<CrmResult<PipelineSummary>> SummarizeAsync(Caller caller, string? accountId, string? from, string? to, CancellationToken ct)
    {
        var (quarterStart, quarterEnd) = CurrentQuarter();
        var start = ParseDate("from", from, quarterStart);
        if (!start.IsOk) return start.Error;
        var end = ParseDate("to", to, quarterEnd);
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

        var figures = await store.SummarizeAsync(caller.Tenant, account, start.Value, end.Value, ct);
        var byStage = figures.OpenByStage.OrderBy(b => StageOrder(b.Key)).ThenBy(b => b.Key, StringComparer.Ordinal).ToArray();
        var byMonth = figures.OpenByCloseMonth.OrderBy(b => b.Key, StringComparer.Ordinal).ToArray();
        var open = new PipelineBucket("Open", byStage.Sum(b => b.Count), byStage.Sum(b => b.Amount), byStage.Sum(b => b.WeightedAmount));
        return new PipelineSummary(account, start.Value, end.Value, open, byStage, byMonth, figures.Won, figures.Lost);
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
