using System.Text.Json;
using RevOps.Domain.Audit;
using RevOps.Domain.Errors;
using RevOps.Domain.Voice;
using RevOps.Server.Auth;
using RevOps.Server.Json;

namespace RevOps.Server.Admin;

/// <summary>
/// A tenant's voice integration, with one of its admin keys: GET shows the settings and whether each secret is set (never
/// a secret); PUT {"twilio_auth_token", "twilio_account_sid", "deepgram_secret", "default_region", "unmatched", "default_owner"} sets those sent.
/// </summary>
public static class VoiceIntegrationApi
{
    const string Example = "{\"twilio_auth_token\": \"…32 hex digits…\", \"default_region\": \"US\", \"unmatched\": \"lead\"}";
    static readonly string[] Names = ["twilio_auth_token", "twilio_account_sid", "deepgram_secret", "default_region", "unmatched", "default_owner"];

    public static RouteGroupBuilder MapVoiceIntegrationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/integrations/voice").RequireAuthorization();
        api.MapGet("", GetAsync);
        api.MapPut("", PutAsync);
        return api;
    }

    static async Task<IResult> GetAsync(HttpContext http, VoiceIntegrationService voice, CancellationToken ct)
    {
        var (caller, refusal) = ApiCaller.Admin(http, "Reading the voice integration");
        if (caller is null) return refusal!;
        return Answer(await voice.GetAsync(caller.Tenant, ct));
    }

    static async Task<IResult> PutAsync(HttpContext http, VoiceIntegrationService voice, CancellationToken ct)
    {
        var (caller, refusal) = ApiCaller.Admin(http, "Changing the voice integration");
        if (caller is null) return refusal!;
        var sent = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct);
            if (body.RootElement.ValueKind != JsonValueKind.Object || !JsonText.IsDecodable(body.RootElement))
                return ApiJson.Error(new CrmError(ErrorCodes.InvalidArgument, $"The body must be a JSON object like {Example}."));
            foreach (var property in body.RootElement.EnumerateObject())
            {
                if (!Names.Contains(property.Name))
                    return ApiJson.Error(new CrmError(ErrorCodes.InvalidArgument, $"'{Clip(property.Name)}' is not a voice setting; send any of {string.Join(", ", Names)}.", "body"));
                if (property.Value.ValueKind != JsonValueKind.String)
                    return ApiJson.Error(new CrmError(ErrorCodes.InvalidArgument, $"{property.Name} must be a string.", property.Name));
                sent[property.Name] = property.Value.GetString()!;
            }
        }
        catch (JsonException)
        {
            return ApiJson.Error(new CrmError(ErrorCodes.InvalidArgument, $"The body must be JSON like {Example}."));
        }
        if (sent.Count == 0) return ApiJson.Error(new CrmError(ErrorCodes.InvalidArgument, $"Send at least one of {string.Join(", ", Names)}, like {Example}."));

        var by = AuditSource.Of(caller);
        // Every value is checked before any is stored, so a bad one changes nothing.
        if (sent.ContainsKey("default_region") || sent.ContainsKey("unmatched") || sent.ContainsKey("default_owner"))
        {
            var set = await voice.SetSettingsAsync(caller.Tenant, sent.GetValueOrDefault("default_region"), sent.GetValueOrDefault("unmatched"), sent.GetValueOrDefault("default_owner"), by, ct, dryRun: true);
            if (!set.IsOk) return ApiJson.Error(set.Error);
        }
        if (sent.TryGetValue("twilio_auth_token", out var token) && VoiceIntegrationService.CheckTwilioAuthToken(token) is { } badToken) return ApiJson.Error(badToken);
        if (sent.TryGetValue("twilio_account_sid", out var accountSid) && VoiceIntegrationService.CheckTwilioAccountSid(accountSid) is { } badSid) return ApiJson.Error(badSid);
        if (sent.TryGetValue("deepgram_secret", out var secret) && VoiceIntegrationService.CheckDeepgramSecret(secret) is { } badSecret) return ApiJson.Error(badSecret);

        CrmResult<VoiceIntegrationService.Status> status = await voice.GetAsync(caller.Tenant, ct);
        if (sent.ContainsKey("default_region") || sent.ContainsKey("unmatched") || sent.ContainsKey("default_owner"))
            status = await voice.SetSettingsAsync(caller.Tenant, sent.GetValueOrDefault("default_region"), sent.GetValueOrDefault("unmatched"), sent.GetValueOrDefault("default_owner"), by, ct);
        if (status.IsOk && (token is not null || accountSid is not null)) status = await voice.SetTwilioAsync(caller.Tenant, token, accountSid, by, ct);
        if (status.IsOk && secret is not null) status = await voice.SetDeepgramSecretAsync(caller.Tenant, secret, by, ct);
        return status.IsOk ? Answer(status.Value) : ApiJson.Error(status.Error);
    }

    /// <summary>{"twilio": bool, "twilio_account_sid", "deepgram": bool, "default_region", "unmatched", "default_owner"}</summary>
    static IResult Answer(VoiceIntegrationService.Status status) => ApiJson.Ok(w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("twilio", status.TwilioConfigured);
        if (status.TwilioAccountSid is { } account) w.WriteString("twilio_account_sid", account);
        else w.WriteNull("twilio_account_sid");
        w.WriteBoolean("deepgram", status.DeepgramConfigured);
        w.WriteString("default_region", status.Settings.DefaultRegion);
        w.WriteString("unmatched", VoiceSettings.Text(status.Settings.Unmatched));
        if (status.Settings.DefaultOwnerId is { } owner) w.WriteString("default_owner", owner);
        else w.WriteNull("default_owner");
        w.WriteEndObject();
    });

    static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
