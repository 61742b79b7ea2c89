using System.Text.Json;

namespace RevOps.Bench.Durability;

public enum AnswerKind
{
    /// <summary>The server answered that the write is done: it must survive any crash from now on.</summary>
    Acknowledged,
    /// <summary>The server answered with an error: the write must not exist.</summary>
    Refused,
    /// <summary>No answer (connection reset or refused, body cut short): the write may or may not exist, but never in part.</summary>
    Unanswered,
}

/// <summary>What one write request got back. A lost answer is an expected outcome in a crash test, so it is a value.</summary>
/// <param name="Body">For MCP the tool's structuredContent, for REST the response body; default when there is none.</param>
public sealed record Answer(AnswerKind Kind, JsonElement Body, string? Problem)
{
    public static Answer Acknowledged(JsonElement body) => new(AnswerKind.Acknowledged, body, null);

    public static Answer Refused(string problem) => new(AnswerKind.Refused, default, problem);

    public static Answer Unanswered(string problem) => new(AnswerKind.Unanswered, default, problem);
}
