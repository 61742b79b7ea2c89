using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Twilio.Security;

namespace RevOps.Server.Tests.Voice;

/// <summary>
/// Sends the recorded sample callbacks (Voice/Samples) to a test server as Twilio and Deepgram would: form bodies signed
/// with X-Twilio-Signature (each signature checked with Twilio's own RequestValidator before it is sent), and transcripts
/// with the tenant's Deepgram secret.
/// </summary>
public static class VoiceCallbacks
{
    public sealed record Reply(HttpStatusCode Status, string Text)
    {
        public JsonElement Body => JsonDocument.Parse(Text).RootElement.Clone();
    }

    public static string NewCallSid() => "CA" + Guid.NewGuid().ToString("N");

    public static string NewAuthToken() => Guid.NewGuid().ToString("N");

    public static string Sample(string name, string callSid) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Voice", "Samples", name)).Replace("{{CallSid}}", callSid, StringComparison.Ordinal);

    /// <summary>A sample form body as ordered pairs, with <paramref name="change"/> applied (null value: the field is left out).</summary>
    public static List<KeyValuePair<string, string>> Form(string name, string callSid, params (string Key, string? Value)[] change)
    {
        var pairs = QueryHelpers.ParseQuery("?" + Sample(name, callSid)).Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ToString())).ToList();
        foreach (var (key, value) in change)
        {
            pairs.RemoveAll(p => p.Key == key);
            if (value is not null) pairs.Add(new(key, value));
        }
        return pairs;
    }

    public static string TwilioUrl(CrmServerFixture server, string tenantId) => new Uri(server.BaseUri, $"webhooks/twilio/{tenantId}/voice").ToString();

    /// <summary>Twilio's signature: HMAC-SHA1 with the auth token over the URL followed by each parameter's name and value, sorted by name.</summary>
    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var text = new StringBuilder(url);
        foreach (var (key, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal)) text.Append(key).Append(value);
        string signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(text.ToString())));
        Assert.True(new RequestValidator(authToken).Validate(url, form.ToDictionary(p => p.Key, p => p.Value), signature), "Twilio's RequestValidator refuses the test's signature");
        return signature;
    }

    /// <summary>POSTs a form to the tenant's Twilio URL signed with <paramref name="authToken"/>; <paramref name="tamper"/> changes the body after signing.</summary>
    public static async Task<Reply> PostTwilioAsync(CrmServerFixture server, string tenantId, string authToken, List<KeyValuePair<string, string>> form,
        Func<List<KeyValuePair<string, string>>, List<KeyValuePair<string, string>>>? tamper = null, string? signature = null)
    {
        string url = TwilioUrl(server, tenantId);
        signature ??= Sign(authToken, url, form);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(tamper is null ? form : tamper(form)) };
        if (signature.Length > 0) request.Headers.TryAddWithoutValidation("X-Twilio-Signature", signature);
        return await SendAsync(server, request);
    }

    public static async Task<Reply> PostDeepgramAsync(CrmServerFixture server, string tenantId, string? secret, string json, string query = "", bool basic = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, $"webhooks/deepgram/{tenantId}{query}"))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (secret is not null)
            request.Headers.Authorization = basic
                ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("deepgram:" + secret)))
                : new AuthenticationHeaderValue("Bearer", secret);
        return await SendAsync(server, request);
    }

    public static async Task<Reply> SendAsync(CrmServerFixture server, HttpRequestMessage request)
    {
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>Sets the tenant's Twilio token and Deepgram secret (and any other settings) through the admin API.</summary>
    public static async Task<(string Token, string Secret)> ConfigureAsync(CrmServerFixture server, TestTenant tenant, object? settings = null)
    {
        string token = NewAuthToken(), secret = "dg-" + Guid.NewGuid().ToString("N");
        var set = await ApiClient.SendAsync(server, HttpMethod.Put, "/api/integrations/voice", tenant.ApiKey,
            JsonSerializer.Serialize(new { twilio_auth_token = token, deepgram_secret = secret }));
        Assert.True(set.Status == HttpStatusCode.OK, set.Text);
        if (settings is not null)
        {
            var more = await ApiClient.SendAsync(server, HttpMethod.Put, "/api/integrations/voice", tenant.ApiKey, JsonSerializer.Serialize(settings));
            Assert.True(more.Status == HttpStatusCode.OK, more.Text);
        }
        return (token, secret);
    }

    /// <summary>The tenant's Tasks logged for a call (by CallObject), through SOQL over REST.</summary>
    public static async Task<JsonElement[]> TasksAsync(CrmServerFixture server, TestTenant tenant, string callSid) =>
        await QueryAsync(server, tenant, $"SELECT Id, Subject, WhoId, OwnerId, TaskSubtype, CallType, CallDurationInSeconds, CallDisposition, CallObject, Status, ActivityDate, Description FROM Task WHERE CallObject = '{callSid}'");

    public static async Task<JsonElement[]> QueryAsync(CrmServerFixture server, TestTenant tenant, string soql)
    {
        var reply = await ApiClient.GetAsync(server, "/services/data/v60.0/query?q=" + Uri.EscapeDataString(soql), tenant.ApiKey);
        Assert.True(reply.Status == HttpStatusCode.OK, $"{soql}: {reply.Text}");
        return reply.Body.GetProperty("records").EnumerateArray().ToArray();
    }

    public static async Task<int> CountAsync(CrmServerFixture server, TestTenant tenant, string obj)
    {
        var reply = await ApiClient.GetAsync(server, "/services/data/v60.0/query?q=" + Uri.EscapeDataString($"SELECT COUNT() FROM {obj}"), tenant.ApiKey);
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Text);
        return reply.Body.GetProperty("totalSize").GetInt32();
    }
}
