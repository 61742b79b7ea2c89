namespace RevOps.Domain.Usage;

/// <summary>
/// Requests the tenant's rate limit refused (429), per day and per channel (mcp, rest, api, console). They are
/// counted in memory by the usage meter and stored with its flush as usage rows of their own tool name
/// ("rate-limited mcp"), so a flood of refusals costs no write per request; they are never requests, errors or billed.
/// </summary>
public sealed record RateLimitedUsage(long Total, IReadOnlyList<RateLimitedDay> Days, IReadOnlyList<RateLimitedChannel> Channels)
{
    /// <summary>The tool-name prefix of the stored rows; no tool or REST endpoint is named so (tools are snake_case, endpoints "rest …").</summary>
    public const string Prefix = "rate-limited ";

    public static RateLimitedUsage None { get; } = new(0, [], []);

    public static string Tool(string channel) => Prefix + channel;

    /// <summary>The channel of a stored row's tool name, or null when the row is an ordinary call.</summary>
    public static string? ChannelOf(string tool) => tool.StartsWith(Prefix, StringComparison.Ordinal) ? tool[Prefix.Length..] : null;
}

public sealed record RateLimitedDay(DateOnly Day, long Requests);

public sealed record RateLimitedChannel(string Channel, long Requests);
