using System.Net;

namespace RevOps.Server.Tests;

/// <summary>/metrics in Prometheus text format with our instruments, and /ready.</summary>
public sealed class ObservabilityTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task Metrics_ReportToolLatencyErrorsByCodeCacheAndWriter_InPrometheusFormat()
    {
        var tenant = await server.CreateTenantAsync("Metrics");
        await tenant.CallOkAsync("create_contact", new { LastName = "Measured" });
        await tenant.CallAsync("create_contact", new { FirstName = "No last name" });
        await tenant.CallOkAsync("find_records", new { @object = "Contact" });

        using var response = await server.Http.GetAsync(new Uri(server.BaseUri, "metrics"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType);
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Matches("revops_request_duration_seconds_bucket\\{[^}]*channel=\"mcp\"[^}]*operation=\"create_contact\"[^}]*outcome=\"ok\"", text);
        Assert.Matches("revops_errors_total\\{[^}]*code=\"REQUIRED_FIELD_MISSING\"[^}]*\\} [1-9]", text);
        Assert.Matches("revops_schema_cache_lookups_total\\{[^}]*result=\"hit\"[^}]*\\} [1-9]", text);
        if (server.Database is null)
        {
            // SQLite's single writer and its group commit; PostgreSQL commits each request on its own connection.
            Assert.Contains("revops_write_batch_size_bucket", text);
            Assert.Contains("revops_write_queue_depth", text);
        }
        Assert.Contains("http_server_request_duration_seconds_bucket", text);
        Assert.Contains("# TYPE revops_request_duration_seconds histogram", text);
    }

    [Fact]
    public async Task Ready_AnswersReadyWhenTheDatabaseIsOpen()
    {
        using var response = await server.Http.GetAsync(new Uri(server.BaseUri, "ready"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"status\":\"ready\"}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
