using System.Text.RegularExpressions;

namespace RevOps.Domain.Search.Semantic;

/// <summary>
/// Words for the seniority a job title implies, added to a person's embedded text: a title says "SVP Finance",
/// never "decision maker" or "senior leader", so questions about level in general terms found nothing. The levels
/// follow the management levels of sales-intelligence data (C-level and VP are executives; then director, manager,
/// non-manager), which is what a seller means by "decision makers" or "executives".
/// </summary>
public static partial class TitleLevel
{
    /// <summary>The level words for a title, or null when the title names no level this knows.</summary>
    public static string? Words(string? title)
    {
        if (string.IsNullOrWhiteSpace(title)) return null;
        // Checked from the top down: "Senior Marketing Manager" is a manager, "VP, Engineering" is not an engineer.
        if (CLevel().IsMatch(title)) return "executive, C-level, senior leader, decision maker";
        if (VicePresident().IsMatch(title)) return "executive, vice president, senior leader, decision maker";
        if (Director().IsMatch(title)) return "director, leader, manages managers";
        if (Manager().IsMatch(title)) return "manager, people manager";
        if (Individual().IsMatch(title)) return "individual contributor, not a manager";
        return null;
    }

    [GeneratedRegex(@"\bchief\b.*\bofficer\b|\b(CEO|CFO|COO|CTO|CIO|CISO|CMO|CRO|CPO|CHRO)\b|\bpresident\b(?<!vice[\s-]+president)|\bfounder\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CLevel();

    [GeneratedRegex(@"\bvice[\s-]+president\b|\b(VP|SVP|EVP|AVP)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VicePresident();

    [GeneratedRegex(@"\bdirector\b|\bhead\s+of\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Director();

    [GeneratedRegex(@"\bmanager\b|\bsupervisor\b|\bteam\s+lead\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Manager();

    // "Account Executive" is a sales rep, not an executive: only the C-level and VP patterns above make one.
    [GeneratedRegex(@"\b(engineer|developer|analyst|specialist|coordinator|representative|rep|associate|assistant|administrator|accountant|recruiter|designer|writer|consultant|clerk|planner|buyer|agent|technician|paralegal|nurse|account\s+executive)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Individual();
}
