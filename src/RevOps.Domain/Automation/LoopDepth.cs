namespace RevOps.Domain.Automation;

/// <summary>
/// How deep a chain of rules is. A rule writes with channel "automation" and a request id
/// "automation:{rule}:{seq}:{depth}"; a change made that way starts runs one deeper. Only the runner
/// writes on that channel, so a caller cannot forge a depth.
/// </summary>
public static class LoopDepth
{
    public const string Channel = "automation";
    public const int Max = 3;

    public static string RequestId(string ruleId, long seq, int depth) => $"automation:{ruleId}:{seq}:{depth}";

    /// <summary>The depth of a run started by a change: 1 for a person's change, one more than the writing rule's for a rule's.</summary>
    public static int OfRunFor(string channel, string? requestId)
    {
        if (channel != Channel || requestId is null) return 1;
        int colon = requestId.LastIndexOf(':');
        return colon > 0 && int.TryParse(requestId.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int depth)
            ? depth + 1
            : 1;
    }
}
