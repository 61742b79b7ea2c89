using System.Diagnostics;

namespace RevOps.Storage.Tests;

/// <summary>Throttle: other nodes' commits wake the background workers through it, so a flood costs one run per spacing and no request is left behind.</summary>
public sealed class ThrottleTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Flood_FirstRunsAtOnce_RestBecomeOneRunAtTheSpacing_NothingLeftBehind()
    {
        int runs = 0;
        var spacing = TimeSpan.FromSeconds(1);
        var throttle = new Throttle(() => Interlocked.Increment(ref runs), spacing);

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 100; i++) throttle.Request();
        var flooded = clock.Elapsed;
        int atOnce = Volatile.Read(ref runs);

        await WaitUntilAsync(() => Volatile.Read(ref runs) == 2);
        var trailingAt = clock.Elapsed;
        await Task.Delay(spacing + TimeSpan.FromMilliseconds(200), Ct);

        Assert.True(flooded < spacing, $"the flood itself took {flooded.TotalMilliseconds:0} ms; the test needs it well under the spacing");
        Assert.Equal(1, atOnce);
        Assert.Equal(2, Volatile.Read(ref runs)); // the 99 held-back requests made exactly one run, and nothing ran without a request
        Assert.True(trailingAt >= spacing - TimeSpan.FromMilliseconds(50), $"the held-back run came after {trailingAt.TotalMilliseconds:0} ms, before the spacing");
    }

    [Fact]
    public async Task OccasionalRequests_EachRunsAtOnce()
    {
        int runs = 0;
        var spacing = TimeSpan.FromMilliseconds(50);
        var throttle = new Throttle(() => Interlocked.Increment(ref runs), spacing);

        for (int i = 1; i <= 5; i++)
        {
            throttle.Request();
            Assert.Equal(i, Volatile.Read(ref runs)); // ran inside Request, before it returned
            await Task.Delay(spacing + TimeSpan.FromMilliseconds(30), Ct);
        }
    }

    static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the held-back request never ran");
            await Task.Delay(10, Ct);
        }
    }
}
