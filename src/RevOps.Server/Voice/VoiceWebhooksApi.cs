using System.Text;
using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Voice;
using RevOps.Server.Hosting;
using RevOps.Server.Json;
using Twilio.Security;

namespace RevOps.Server.Voice;

/// <summary>
/// The voice providers' callbacks, one URL per tenant and provider, authenticated by the provider's proof instead of an
/// API key: Twilio's X-Twilio-Signature (HMAC of the URL and form with the tenant's auth token, checked by Twilio's own
/// RequestValidator), Deepgram's callback secret (Authorization: Basic with the secret as password, or Bearer). A request
/// without that proof gets 403 and writes nothing, whether the tenant exists or not (the answers are the same).
/// </summary>
public static class VoiceWebhooksApi
{
    const string NotSignedMessage =
        "X-Twilio-Signature does not match this request for the tenant's auth token. Set the token with `revops integration twilio --tenant ID --auth-token-file F`; behind a proxy, start the server with --public-url so the URL Twilio signed is the one checked.";
    const string NoSecretMessage =
        "This callback does not carry the tenant's Deepgram secret. Set it with `revops integration deepgram --tenant ID --secret-file F` and give Deepgram a callback URL with it as password: https://deepgram:SECRET@host/webhooks/deepgram/TENANT.";

    public static IEndpointRouteBuilder MapVoiceWebhooksApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/twilio/{tenantId}/voice", TwilioAsync);
        app.MapPost("/webhooks/deepgram/{tenantId}", DeepgramAsync);
        return app;
    }

    static async Task<IResult> TwilioAsync(string tenantId, HttpContext http, VoiceIntegrationService integrations, CallLogger calls, RecordingFetcher recordings, RevOpsOptions options, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
            return ApiJson.Error(ErrorCodes.InvalidArgument, "Twilio's callbacks are application/x-www-form-urlencoded; this body is not. Point Twilio's status, recording and transcription callbacks here.", StatusCodes.Status415UnsupportedMediaType);
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                ? ApiJson.Error("payload_too_large", $"The request body is larger than the {options.MaxRequestBytes:N0} bytes allowed.", StatusCodes.Status413PayloadTooLarge)
                : ApiJson.Error(ErrorCodes.InvalidArgument, "The form body could not be read (too many fields, or not form encoding). Send Twilio's callback as it is.", StatusCodes.Status400BadRequest);
        }

        string signature = http.Request.Headers["X-Twilio-Signature"].ToString();
        var parameters = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        string url = SignedUrl(http.Request, options.PublicUrl);
        if (signature.Length == 0 || !TenantId.TryParse(tenantId, out var tenant)
            || !await integrations.IsSignedByTwilioAsync(tenant, token => new RequestValidator(token).Validate(url, parameters, signature), ct))
            return ApiJson.Error(ErrorCodes.InsufficientAccess, NotSignedMessage, StatusCodes.Status403Forbidden);

        var call = TwilioCallback.Parse(form);
        if (!call.IsOk) return ApiJson.Error(call.Error);
        var logged = await calls.LogAsync(tenant, call.Value, http.TraceIdentifier, ct);
        // The audio is fetched after the answer, from the queue row the call's merge wrote; this only saves the fetcher's next poll.
        if (logged.IsOk && call.Value.RecordingSid is not null) recordings.Wake();
        return Answer(logged);
    }

    static async Task<IResult> DeepgramAsync(string tenantId, HttpContext http, VoiceIntegrationService integrations, CallLogger calls, CancellationToken ct)
    {
        if (!TenantId.TryParse(tenantId, out var tenant) || !await integrations.IsDeepgramSecretAsync(tenant, PresentedSecret(http.Request), ct))
            return ApiJson.Error(ErrorCodes.InsufficientAccess, NoSecretMessage, StatusCodes.Status403Forbidden);
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(http.Request.Body, new JsonDocumentOptions { MaxDepth = 64 }, ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiJson.Error("payload_too_large", "The request body is larger than the server allows.", StatusCodes.Status413PayloadTooLarge);
        }
        catch (JsonException)
        {
            return ApiJson.Error(ErrorCodes.InvalidArgument, "The body is not JSON. Send Deepgram's transcription result as its callback POSTs it.", StatusCodes.Status400BadRequest);
        }
        using (body)
        {
            if (!JsonText.IsDecodable(body.RootElement))
                return ApiJson.Error(ErrorCodes.InvalidArgument, "The body holds text that is not valid Unicode. Send Deepgram's result as it is.", StatusCodes.Status400BadRequest);
            string? sid = http.Request.Query["CallSid"] is { Count: > 0 } q ? q[0] : null;
            var call = DeepgramCallback.Parse(body.RootElement, sid);
            if (!call.IsOk) return ApiJson.Error(call.Error);
            return Answer(await calls.LogAsync(tenant, call.Value, http.TraceIdentifier, ct));
        }
    }

    static IResult Answer(CrmResult<VoiceCall> logged) => logged.IsOk
        ? ApiJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("callSid", logged.Value.CallSid);
            w.WriteString("taskId", logged.Value.TaskId);
            w.WriteEndObject();
        })
        : ApiJson.Error(logged.Error);

    /// <summary>
    /// The URL Twilio computed its signature over: the configured public base (the proxy's scheme and host) or else
    /// the request's own, then the path and query as received. X-Forwarded-* headers are not trusted for this.
    /// </summary>
    public static string SignedUrl(HttpRequest request, Uri? publicUrl)
    {
        string path = request.PathBase.ToUriComponent() + request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
        return publicUrl is null
            ? $"{request.Scheme}://{request.Host.ToUriComponent()}{path}"
            : publicUrl.GetLeftPart(UriPartial.Authority) + publicUrl.AbsolutePath.TrimEnd('/') + path;
    }

    /// <summary>The secret of Authorization: Basic (its password; Deepgram sends a callback URL's user:password so) or Bearer.</summary>
    static string? PresentedSecret(HttpRequest request)
    {
        string authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization[7..].Trim();
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            string pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
            return pair.IndexOf(':') is >= 0 and var colon ? pair[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
