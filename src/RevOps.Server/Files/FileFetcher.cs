using RevOps.Domain;
using RevOps.Domain.Errors;
using RevOps.Domain.Files;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Webhooks;

namespace RevOps.Server.Files;

/// <summary>
/// Fetches a file from a URL an agent gave (create_record on ContentVersion) under the webhook rules: https to public
/// addresses only (unless the operator allows private webhook targets), checked before the request and again at
/// connect time after DNS, no redirects, and streamed to the blob store with the same limits as an upload.
/// </summary>
public sealed class FileFetcher(IHttpClientFactory http, IWebhookTargetPolicy targets, FileService files)
{
    public const string ClientName = "file-fetch";

    /// <summary>Whether a VersionData value is a URL to fetch rather than base64 (base64 has no ':').</summary>
    public static bool IsUrl(string value) =>
        value.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    public async Task<CrmResult<StoredBlob>> FetchAsync(Caller caller, string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return new CrmError(ErrorCodes.InvalidFieldValue, $"VersionData '{Clip(url)}' is not a valid URL. Send an https URL of the file, or its bytes as base64.", "VersionData");
        if (await targets.CheckAsync(uri, ct) is { } refused)
            return refused with { Message = "VersionData " + refused.Message + " The server fetches files under the webhook rules.", Field = "VersionData" };
        try
        {
            using var client = http.CreateClient(ClientName);
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
                return new CrmError(ErrorCodes.InvalidFieldValue, $"VersionData URL answered {(int)response.StatusCode} {response.ReasonPhrase}; nothing was stored. Check the URL (redirects are not followed).", "VersionData");
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            return await files.StoreAsync(caller, body, FileLimits.Base64MaxChars, ct);
        }
        catch (HttpRequestException e)
        {
            return new CrmError(ErrorCodes.InvalidFieldValue, $"VersionData URL could not be fetched ({e.Message}); nothing was stored.", "VersionData");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new CrmError(ErrorCodes.InvalidFieldValue, "VersionData URL did not answer in time; nothing was stored. Retry, or send the bytes as base64.", "VersionData");
        }
    }

    static string Clip(string text) => text.Length > 100 ? text[..100] + "…" : text;
}
