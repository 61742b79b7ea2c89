using System.Diagnostics;
using System.Net;

namespace RevOps.Server.Tests.WebConsole;

/// <summary>
/// The operator's sign-in backs off: after five wrong admin tokens in a row even the right one is refused (429, Retry-After,
/// a message saying how long) until the lockout lapses, then it opens the operator view. A server of its own, so the
/// lockout touches no other test.
/// </summary>
public sealed class ConsoleOperatorLockoutTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task OperatorSignIn_FiveWrongTokens_RefusesEvenTheRightOneUntilTheLockoutLapses()
    {
        using var op = new ConsoleClient(server.BaseUri);
        await op.GetAsync("/console/operator/sign-in");
        for (int i = 1; i <= 4; i++)
        {
            var wrong = await op.PostAsync("/console/operator/sign-in", new() { ["token"] = $"guess-{i}" });
            Assert.True(wrong.Status == HttpStatusCode.Unauthorized, $"attempt {i}: {(int)wrong.Status}");
            Assert.Contains("That is not the operator&#x27;s admin token", wrong.Html);
        }
        var fifth = await op.PostAsync("/console/operator/sign-in", new() { ["token"] = "guess-5" });
        var locked = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.Status);

        var right = await op.PostAsync("/console/operator/sign-in", new() { ["token"] = server.AdminToken });
        Assert.Equal(HttpStatusCode.TooManyRequests, right.Status);
        Assert.Matches("Too many wrong admin tokens: the operator&#x27;s sign-in is locked for (10|9|8|7) more seconds, even with the right token.", right.Html);
        int retryAfter = int.Parse(right.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 10);
        Assert.Equal(HttpStatusCode.Redirect, (await op.GetAsync("/console/operator")).Status); // no session was opened

        ConsoleClient.Reply opened;
        do
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            await op.GetAsync("/console/operator/sign-in");
            opened = await op.PostAsync("/console/operator/sign-in", new() { ["token"] = server.AdminToken });
        }
        while (opened.Status == HttpStatusCode.TooManyRequests && locked.Elapsed < TimeSpan.FromSeconds(20));
        Assert.True(opened.Status == HttpStatusCode.Redirect, $"{(int)opened.Status} after {locked.Elapsed}");
        Assert.InRange(locked.Elapsed, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/console/operator")).Status);

        // A success clears the count: one wrong token later is a plain 401 again.
        using var again = new ConsoleClient(server.BaseUri);
        await again.GetAsync("/console/operator/sign-in");
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.PostAsync("/console/operator/sign-in", new() { ["token"] = "one-more-guess" })).Status);
    }
}
