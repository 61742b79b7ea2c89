using RevOps.Domain.Errors;
using RevOps.Domain.Webhooks;

namespace RevOps.Server.Webhooks;

/// <summary>At create time: https to a public address, unless the operator allows private targets (then http too).</summary>
public sealed class WebhookTargetPolicy(WebhookSettings settings) : IWebhookTargetPolicy
{
    public async Task<CrmError?> CheckAsync(Uri url, CancellationToken ct)
    {
        if (!settings.AllowPrivateTargets && url.Scheme != Uri.UriSchemeHttps)
            return new CrmError(ErrorCodes.InvalidArgument,
                $"url '{url}' must use https: events carry CRM data. (Plain http is accepted only when the operator runs revops serve --allow-private-webhooks.)", "url");
        var resolution = await WebhookTargets.ResolveAsync(url.DnsSafeHost, settings.AllowPrivateTargets, ct);
        return resolution.Refusal is { } refusal ? new CrmError(ErrorCodes.InvalidArgument, $"url refused: {refusal}", "url") : null;
    }
}
