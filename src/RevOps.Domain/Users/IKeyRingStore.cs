namespace RevOps.Domain.Users;

/// <summary>
/// The console's key ring (the keys that protect its cookies and antiforgery tokens) as opaque XML elements,
/// shared by every node of one database. Keys are added, never changed; the host expires them.
/// </summary>
public interface IKeyRingStore
{
    Task<IReadOnlyList<string>> ListAsync(CancellationToken ct);

    /// <summary>Adds a key; a second add under the same name keeps the first.</summary>
    Task AddAsync(string name, string xml, DateTime at, CancellationToken ct);
}
