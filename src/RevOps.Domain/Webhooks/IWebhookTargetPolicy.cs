using RevOps.Domain.Errors;

namespace RevOps.Domain.Webhooks;

/// <summary>Decides whether a URL may receive webhooks (the server resolves it and refuses private networks).</summary>
public interface IWebhookTargetPolicy
{
    /// <summary>Null when the target is allowed; otherwise why not.</summary>
    Task<CrmError?> CheckAsync(Uri url, CancellationToken ct);
}
