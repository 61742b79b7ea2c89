namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// One cross-tenant attempt: tenant B sends a request carrying <see cref="Secret"/> (one of A's
/// Ids, names, emails or cursors). When <see cref="Compare"/> is set, the same request with a value
/// nobody holds must get the same answer, so B cannot tell A's value from nothing. A probe sent by
/// the writing tenant (<see cref="ByWriter"/>) may see A's marker strings, because that tenant has
/// itself stored them by then; A's Ids it must still never see.
/// </summary>
public sealed record Probe(string Label, string Secret, bool Compare, Func<string, CancellationToken, Task<(string Sent, RawResponse Response)>> Send)
{
    public bool ByWriter { get; init; }

    /// <summary>Probes that change B's schema run first and alone, so the other probes' two calls see one schema.</summary>
    public bool ChangesSchema { get; init; }
}
