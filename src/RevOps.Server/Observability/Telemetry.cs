using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RevOps.Domain.Telemetry;

namespace RevOps.Server.Observability;

/// <summary>
/// OpenTelemetry for the HTTP server: our meter plus ASP.NET Core's and the runtime's, scraped at
/// /metrics in Prometheus format; traces go out over OTLP only when an endpoint is configured
/// (--otlp-endpoint or the standard OTEL_EXPORTER_OTLP_ENDPOINT).
/// </summary>
public static class Telemetry
{
    public const string MetricsPath = "/metrics";

    public static void AddRevOpsTelemetry(this WebApplicationBuilder builder, Hosting.RevOpsOptions options)
    {
        string? otlp = options.OtlpEndpoint ?? Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("revops", serviceVersion: Hosting.ServerVersion.Current))
            .WithMetrics(metrics => metrics
                .AddMeter(RevOpsMeters.Name, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                .AddRuntimeInstrumentation()
                // Prometheus reserves the _count suffix for histograms and summaries (promtool check metrics flags these gauges).
                .AddView("dotnet.assembly.count", new MetricStreamConfiguration { Name = "dotnet.assemblies.loaded" })
                .AddView("dotnet.process.cpu.count", new MetricStreamConfiguration { Name = "dotnet.process.cpus" })
                .AddView("dotnet.timer.count", new MetricStreamConfiguration { Name = "dotnet.timers.active" })
                .AddPrometheusExporter());
        if (!string.IsNullOrEmpty(otlp))
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments(MetricsPath))
                .AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
    }

    public static void MapRevOpsMetrics(this WebApplication app) => app.MapPrometheusScrapingEndpoint(MetricsPath);
}
