using System.Globalization;
using RevOps.Domain.Errors;
using RevOps.Domain.Search;
using RevOps.Domain.Search.Semantic;
using RevOps.Domain.Tenancy;

namespace RevOps.Server.Search;

/// <summary>search_crm's arguments and /api/search's query parameters, checked once for both.</summary>
public sealed record SearchQuery(string Text, SearchMode Mode, IReadOnlyList<string>? Objects, int Limit, SemanticFilters Filters)
{
    public static readonly IReadOnlyList<string> Modes = ["auto", "keyword", "semantic"];

    /// <summary>The string arguments, for type checks before <see cref="Parse"/>.</summary>
    public static readonly IReadOnlyList<string> TextArguments = ["text", "mode", "ownerId", "industry", "stage", "createdAfter", "createdBefore"];

    /// <param name="owner">"me" (the caller's records) or a User Id.</param>
    public static CrmResult<SearchQuery> Parse(Caller caller, string? text, string? mode, IReadOnlyList<string>? objects, string? limit,
        string? owner, string? industry, string? stage, string? createdAfter, string? createdBefore)
    {
        // The keyword search's limits on text (required, 256 characters, 16 words) hold for every mode.
        var terms = SearchTerms.Parse(text);
        if (!terms.IsOk) return terms.Error;
        var parsedMode = SearchMode.Auto;
        if (!string.IsNullOrWhiteSpace(mode))
        {
            int index = Modes.ToList().FindIndex(m => string.Equals(m, mode.Trim(), StringComparison.OrdinalIgnoreCase));
            if (index < 0) return new CrmError(ErrorCodes.InvalidArgument, $"mode must be one of {string.Join(", ", Modes)}; '{mode}' was sent. Leave it out for auto.", "mode");
            parsedMode = (SearchMode)index;
        }
        int count = SearchService.DefaultLimit;
        if (!string.IsNullOrWhiteSpace(limit) && !int.TryParse(limit, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out count))
            return new CrmError(ErrorCodes.InvalidArgument, $"limit must be a whole number from 1 to {SearchService.MaxLimit}; '{limit}' was sent.", "limit");
        if (count is < 1 or > SearchService.MaxLimit)
            return new CrmError(ErrorCodes.InvalidArgument, $"limit must be between 1 and {SearchService.MaxLimit}; {count} was sent.", "limit");
        if (owner is not null && owner.Trim().Length > 0 && !string.Equals(owner.Trim(), "me", StringComparison.OrdinalIgnoreCase)
            && !(owner.Trim().Length is 15 or 18 && owner.Trim().StartsWith("005", StringComparison.Ordinal)))
            return new CrmError(ErrorCodes.InvalidArgument, $"ownerId must be \"me\" or a User Id (005…); '{owner}' was sent. list_users finds a user's Id.", "ownerId");
        var after = Date(createdAfter, "createdAfter");
        if (!after.IsOk) return after.Error;
        var before = Date(createdBefore, "createdBefore");
        if (!before.IsOk) return before.Error;
        string? ownerId = owner?.Trim() is { Length: > 0 } o ? (string.Equals(o, "me", StringComparison.OrdinalIgnoreCase) ? caller.ActorId : o) : null;
        var filters = new SemanticFilters(ownerId, Blank(industry), Blank(stage), after.Value, before.Value);
        return new SearchQuery(text!.Trim(), parsedMode, objects, count, filters.IsEmpty ? SemanticFilters.None : filters);
    }

    static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    static CrmResult<DateTime?> Date(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text)) return (DateTime?)null;
        if (DateTime.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
            return (DateTime?)DateTime.SpecifyKind(at, DateTimeKind.Utc);
        return new CrmError(ErrorCodes.InvalidArgument, $"{name} must be a date such as 2026-01-31 (or a date and time in UTC); '{text}' was sent.", name);
    }
}
