using System.Net;

namespace RevOps.Server.Tests;

/// <summary>
/// A real `revops serve` killed with SIGKILL while it writes records of a custom object and their master-detail children: every
/// acknowledged record is there after the restart, and the auto-number goes on without repeating a name.
/// </summary>
public sealed class CustomObjectCrashTests : IAsyncLifetime
{
    readonly string _data = Path.Combine(Path.GetTempPath(), "revops-custom-crash-" + Guid.NewGuid().ToString("N"));

    public async ValueTask InitializeAsync() => await TestDatabase.CreateAsync(_data);

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
        return ValueTask.CompletedTask;
    }

    async Task DefineAsync(string tenant)
    {
        foreach (var args in new[]
        {
            new[] { "object", "define", "--tenant", tenant, "Invoice__c", "--label", "Invoice", "--plural", "Invoices", "--auto-number", "INV-{0000}" },
            ["object", "define", "--tenant", tenant, "Invoice_Line__c", "--label", "Invoice Line", "--plural", "Invoice Lines"],
            ["field", "define", "--tenant", tenant, "--object", "Invoice_Line__c", "--name", "Invoice__c", "--type", "MasterDetail", "--reference-to", "Invoice__c"],
        })
        {
            var run = await Cli.RunAsync([.. args, "--data", _data]);
            Assert.True(run.ExitCode == 0, $"{string.Join(' ', args)}: {run.StdOut} {run.StdErr}");
        }
    }

    [Fact]
    public async Task Kill9_WhileWritingCustomRecords_KeepsEveryAcknowledgedRecord_AndTheNumberingGoesOn()
    {
        int port = ServeProcess.FreePort();
        var env = new Dictionary<string, string>();
        string tenant, key;
        await using (var first = await ServeProcess.StartAsync(_data, port, env))
            (tenant, key) = await first.CreateTenantAsync("Custom crash", "enterprise");
        await DefineAsync(tenant);

        var acknowledged = new List<(string Invoice, string Name, string Line)>();
        await using (var serve = await ServeProcess.StartAsync(_data, port, env))
        {
            using var cts = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                for (int i = 0; !cts.IsCancellationRequested; i++)
                {
                    try
                    {
                        var invoice = await serve.SendAsync(HttpMethod.Post, "/services/data/v60.0/sobjects/Invoice__c", key, new Dictionary<string, object>());
                        if (invoice.Status != HttpStatusCode.Created) return;
                        string id = invoice.Body.Str("id");
                        var read = await serve.SendAsync(HttpMethod.Get, $"/services/data/v60.0/sobjects/Invoice__c/{id}?fields=Name", key);
                        if (read.Status != HttpStatusCode.OK) return;
                        var line = await serve.SendAsync(HttpMethod.Post, "/services/data/v60.0/sobjects/Invoice_Line__c", key,
                            new Dictionary<string, object> { ["Name"] = $"Line {i}", ["Invoice__c"] = id });
                        if (line.Status != HttpStatusCode.Created) return;
                        lock (acknowledged) acknowledged.Add((id, read.Body.Str("Name"), line.Body.Str("id")));
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server is gone
                    }
                }
            }, TestContext.Current.CancellationToken);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                lock (acknowledged) if (acknowledged.Count >= 25) break;
                await Task.Delay(10, TestContext.Current.CancellationToken);
            }
            serve.Kill();
            cts.Cancel();
            await writer;
        }
        Assert.True(acknowledged.Count >= 25, $"only {acknowledged.Count} writes were acknowledged before the kill");

        await using var again = await ServeProcess.StartAsync(_data, port, env);
        var (_, invoices) = await again.SendAsync(HttpMethod.Get, "/services/data/v60.0/query?q=" + Uri.EscapeDataString(
            "SELECT Id, Name, (SELECT Id FROM Invoice_Lines__r) FROM Invoice__c ORDER BY Name"), key);
        var rows = invoices.GetProperty("records").EnumerateArray().ToDictionary(r => r.Str("Id"));
        foreach (var (invoice, name, line) in acknowledged)
        {
            Assert.True(rows.TryGetValue(invoice, out var row), $"acknowledged {name} ({invoice}) is missing after kill -9");
            Assert.Equal(name, row.Str("Name"));
            Assert.Contains(line, row.GetProperty("Invoice_Lines__r").GetProperty("records").EnumerateArray().Select(l => l.Str("Id")));
        }
        // The names in the database are INV-0001…INV-000n without a hole (one writer: only the create in flight at the
        // kill can have taken a number it never stored), and the next create takes a number after all of them.
        var numbers = rows.Values.Select(r => int.Parse(r.Str("Name")[4..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, numbers.Length), numbers);
        var next = await again.SendAsync(HttpMethod.Post, "/services/data/v60.0/sobjects/Invoice__c", key, new Dictionary<string, object>());
        Assert.Equal(HttpStatusCode.Created, next.Status);
        var nextName = (await again.SendAsync(HttpMethod.Get, $"/services/data/v60.0/sobjects/Invoice__c/{next.Body.Str("id")}?fields=Name", key)).Body.Str("Name");
        int nextNumber = int.Parse(nextName[4..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(nextNumber, numbers.Length + 1, numbers.Length + 2);
    }
}
