namespace RevOps.Domain.Work;

/// <summary>
/// Three words rather than a number scale: agents and rules write "high" without looking up which end of 1..5 is
/// urgent. Stored as 1 (low), 2 (normal), 3 (high), so the claim orders by the number, highest first.
/// </summary>
public static class WorkPriority
{
    public const int Low = 1;
    public const int Normal = 2;
    public const int High = 3;

    public static readonly IReadOnlyList<string> Names = ["low", "normal", "high"];

    public static bool TryParse(string? text, out int priority)
    {
        int index = text is null ? 1 : Names.ToList().FindIndex(n => string.Equals(n, text.Trim(), StringComparison.OrdinalIgnoreCase));
        priority = index + 1;
        return index >= 0;
    }

    public static string Name(int priority) => priority is >= Low and <= High ? Names[priority - 1] : priority.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
