using System.Threading.Channels;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Forecasting;

/// <summary>Tenants whose model should be trained, read by one background worker so training never runs on a request.</summary>
public sealed class ForecastTrainingQueue
{
    readonly Channel<TenantId> _tenants = Channel.CreateUnbounded<TenantId>(new UnboundedChannelOptions { SingleReader = true });

    public void Request(TenantId tenant) => _tenants.Writer.TryWrite(tenant);

    public ChannelReader<TenantId> Reader => _tenants.Reader;
}
