namespace RevOps.Storage.Tests;

/// <summary>
/// The backends of one test class: one shared database per backend kind (tests in a class run one after
/// another and each makes its own tenants), plus fresh ones for tests that read across tenants (the
/// outbox). Everything opened is closed and deleted (SQLite file) or dropped (PostgreSQL database) at the end.
/// </summary>
public sealed class BackendFixture : IAsyncDisposable
{
    readonly Lock _lock = new();
    readonly Dictionary<string, Task<TestStore>> _shared = new(StringComparer.Ordinal);
    readonly List<Task<TestStore>> _opened = [];

    /// <summary>The class's database of this kind, opened on first use.</summary>
    public Task<TestStore> SharedAsync(string kind)
    {
        lock (_lock)
        {
            if (!_shared.TryGetValue(kind, out var store))
            {
                store = TestStore.OpenAsync(kind);
                _shared[kind] = store;
                _opened.Add(store);
            }
            return store;
        }
    }

    /// <summary>A database of this kind for one test alone (the test may dispose it early; the fixture disposes it otherwise).</summary>
    public Task<TestStore> FreshAsync(string kind)
    {
        var store = TestStore.OpenAsync(kind);
        lock (_lock) _opened.Add(store);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        List<Task<TestStore>> opened;
        lock (_lock) opened = [.. _opened];
        foreach (var store in opened)
            if (store.IsCompletedSuccessfully) await store.Result.DisposeAsync();
    }
}
