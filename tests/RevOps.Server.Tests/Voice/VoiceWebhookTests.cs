using System.Net;
using System.Text.Json;
using static RevOps.Server.Tests.Voice.VoiceCallbacks;

namespace RevOps.Server.Tests.Voice;

/// <summary>
/// Issue 24, voice call logging: Twilio's status, recording and transcription callbacks and Deepgram's transcript (recorded
/// sample payloads) become one Task per CallSid whatever their order and however often they come, matched to the Contact or
/// Lead on the line and owned by the user whose number took the call; tampered, unsigned and other tenants' callbacks get
/// 403 and write nothing.
/// </summary>
public sealed class VoiceWebhookTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const string Recording = "https://api.twilio.com/2010-04-01/Accounts/AC6c1b2a3d4e5f60718293a4b5c6d7e8f9/Recordings/RE8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d";

    async Task<(TestTenant Tenant, string Token, string Secret, string Ada, string Grace)> SetUpAsync(string name, object? settings = null)
    {
        var tenant = await server.CreateTenantAsync(name);
        var (token, secret) = await ConfigureAsync(server, tenant, settings);
        var user = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/users", tenant.ApiKey,
            JsonSerializer.Serialize(new { email = $"grace.{Guid.NewGuid():N}@engines.test", name = "Grace Hopper", phone = "415-555-0142" }));
        Assert.True(user.Status == HttpStatusCode.Created, user.Text);
        string ada = (await tenant.CallOkAsync("create_contact", new { FirstName = "Ada", LastName = "Lovelace", Phone = "(212) 555-0199" })).Str("Id");
        return (tenant, token, secret, ada, user.Body.Str("Id"));
    }

    static void AssertLoggedCall(JsonElement task, string sid, string who, string owner, string transcriptSource)
    {
        Assert.Equal("Call with Ada Lovelace", task.Str("Subject"));
        Assert.Equal(who, task.Str("WhoId"));
        Assert.Equal(owner, task.Str("OwnerId"));
        Assert.Equal("Call", task.Str("TaskSubtype"));
        Assert.Equal("Inbound", task.Str("CallType"));
        Assert.Equal(187, task.GetProperty("CallDurationInSeconds").GetInt32());
        Assert.Equal("Completed", task.Str("CallDisposition"));
        Assert.Equal(sid, task.Str("CallObject"));
        Assert.Equal("Completed", task.Str("Status"));
        Assert.StartsWith($"Recording: {Recording}\nTranscript ({transcriptSource}):\n", task.Str("Description"));
    }

    [Fact]
    public async Task Callbacks_InOrderOutOfOrderAndReplayed_GiveExactlyOneTaskWithEveryFieldMerged()
    {
        var (tenant, token, secret, ada, grace) = await SetUpAsync("Voice merge");
        string inOrder = NewCallSid(), reversed = NewCallSid();

        foreach (var name in new[] { "twilio-status-ringing.form", "twilio-recording-completed.form", "twilio-transcription-completed.form", "twilio-status-completed.form" })
            Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(server, tenant.TenantId, token, Form(name, inOrder))).Status);
        // The transcript first, the ringing status last, and everything twice.
        for (int replay = 0; replay < 2; replay++)
        {
            Assert.Equal(HttpStatusCode.OK, (await PostDeepgramAsync(server, tenant.TenantId, secret, Sample("deepgram-prerecorded.json", reversed))).Status);
            foreach (var name in new[] { "twilio-transcription-completed.form", "twilio-status-completed.form", "twilio-recording-completed.form", "twilio-status-ringing.form" })
            {
                var reply = await PostTwilioAsync(server, tenant.TenantId, token, Form(name, reversed));
                Assert.True(reply.Status == HttpStatusCode.OK, reply.Text);
                Assert.Equal(reversed, reply.Body.Str("callSid"));
            }
        }

        var first = Assert.Single(await TasksAsync(server, tenant, inOrder));
        AssertLoggedCall(first, inOrder, ada, grace, "twilio");
        Assert.EndsWith("Hi this is Ada from Analytical Engines calling about the pricing for the enterprise tier.", first.Str("Description"));
        var second = Assert.Single(await TasksAsync(server, tenant, reversed));
        AssertLoggedCall(second, reversed, ada, grace, "deepgram");
        Assert.Equal($"Recording: {Recording}\nTranscript (deepgram):\nSpeaker 0: Thanks for calling Analytical Engines, this is Grace.\n" +
            "Speaker 1: Hi Grace, this is Ada. I wanted to ask about the pricing for the enterprise tier.\nSpeaker 0: Sure, it is priced per seat, with volume discounts above fifty seats.\n" +
            "Speaker 1: Great, please send me a quote.", second.Str("Description"));
        // The whole transcript is a file on each Task, one version however often it was replayed.
        foreach (var (task, expected) in new[] { (first, "Hi this is Ada from Analytical Engines calling about the pricing for the enterprise tier."), (second, "Speaker 1: Great, please send me a quote.") })
        {
            var links = await tenant.CallOkAsync("soql_query", new { query = $"SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '{task.Str("Id")}'" });
            string document = Assert.Single(links.GetProperty("records").EnumerateArray()).Str("ContentDocumentId");
            var versions = (await tenant.CallOkAsync("soql_query", new { query = $"SELECT Id, PathOnClient, VersionNumber FROM ContentVersion WHERE ContentDocumentId = '{document}'" }))
                .GetProperty("records").EnumerateArray().ToArray();
            var version = Assert.Single(versions);
            Assert.Equal($"transcript-{task.Str("CallObject")}.txt", version.Str("PathOnClient"));
            var text = await tenant.CallOkAsync("get_record", new { Id = version.Str("Id"), fields = new[] { "TextContent" } });
            Assert.EndsWith(expected, text.Str("TextContent").TrimEnd());
        }
        Assert.Equal(2, await CountAsync(server, tenant, "Task"));
        Assert.Equal(1, await CountAsync(server, tenant, "Contact"));
        Assert.Equal(0, await CountAsync(server, tenant, "Lead"));

        // An agent reads the contact's calls and transcripts through the record tools it already has.
        var calls = await tenant.CallOkAsync("find_records", new { @object = "Task", where = new { WhoId = ada }, fields = new[] { "Subject", "Description", "CallObject" } });
        Assert.Equal(2, calls.GetProperty("totalSize").GetInt32());
        // Transcripts are searchable, the whole of them, not only the lines the Description shows.
        var found = await ApiClient.GetAsync(server, "/api/voice/calls?q=VOLUME%20discounts", tenant.ApiKey);
        Assert.Equal($"{{\"count\":1,\"calls\":[{{\"callSid\":\"{reversed}\",\"taskId\":\"{second.Str("Id")}\",\"transcriptSource\":\"deepgram\"," +
            "\"lines\":[\"Speaker 0: Sure, it is priced per seat, with volume discounts above fifty seats.\"]}]}", found.Text);
        var other = await server.CreateTenantAsync("Voice merge, other tenant");
        Assert.Equal("{\"count\":0,\"calls\":[]}", (await ApiClient.GetAsync(server, "/api/voice/calls?q=volume%20discounts", other.ApiKey)).Text);
    }

    [Fact]
    public async Task FirstCallbacks_ArrivingTogether_CreateOneTaskAndOneLead()
    {
        var (tenant, token, secret, _, grace) = await SetUpAsync("Voice race");
        string sid = NewCallSid();
        // An unknown caller: each callback that names the number would create a Lead were the CallSid not the key.
        (string, string?) unknown = ("From", "+16465550177"), called = ("Caller", "+16465550177");
        var sends = new List<Func<Task<Reply>>>();
        for (int i = 0; i < 4; i++)
        {
            sends.Add(() => PostTwilioAsync(server, tenant.TenantId, token, Form("twilio-status-completed.form", sid, unknown, called)));
            sends.Add(() => PostTwilioAsync(server, tenant.TenantId, token, Form("twilio-recording-completed.form", sid)));
            sends.Add(() => PostTwilioAsync(server, tenant.TenantId, token, Form("twilio-transcription-completed.form", sid, unknown, called)));
            sends.Add(() => PostDeepgramAsync(server, tenant.TenantId, secret, Sample("deepgram-prerecorded.json", sid)));
        }
        var replies = await Task.WhenAll(sends.Select(send => Task.Run(send)));
        Assert.All(replies, r => Assert.True(r.Status == HttpStatusCode.OK, r.Text));
        Assert.Single(replies.Select(r => r.Body.Str("taskId")).Distinct());

        var task = Assert.Single(await TasksAsync(server, tenant, sid));
        var lead = Assert.Single(await QueryAsync(server, tenant, "SELECT Id, LastName, Company, Phone, LeadSource FROM Lead"));
        Assert.Equal(lead.Str("Id"), task.Str("WhoId"));
        Assert.Equal("+1 646-555-0177", lead.Str("LastName"));
        Assert.Equal("Phone Inquiry", lead.Str("LeadSource"));
        Assert.Equal("Call with +1 646-555-0177", task.Str("Subject"));
        Assert.Equal(grace, task.Str("OwnerId"));
        Assert.Equal(187, task.GetProperty("CallDurationInSeconds").GetInt32());
        Assert.StartsWith($"Recording: {Recording}\nTranscript (deepgram):\nSpeaker 0: Thanks", task.Str("Description"));
    }

    [Fact]
    public async Task SameTranscript_DeliveredSeveralTimesAtOnce_IsAttachedOnce()
    {
        var (tenant, token, secret, _, _) = await SetUpAsync("Voice transcript race");
        string sid = NewCallSid();
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(server, tenant.TenantId, token, Form("twilio-status-completed.form", sid))).Status);
        string json = Sample("deepgram-prerecorded.json", sid);
        var replies = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => PostDeepgramAsync(server, tenant.TenantId, secret, json))));
        Assert.All(replies, r => Assert.True(r.Status == HttpStatusCode.OK, r.Text));

        var task = Assert.Single(await TasksAsync(server, tenant, sid));
        var versions = await QueryAsync(server, tenant, $"SELECT Id, ContentDocumentId, VersionNumber, Checksum FROM ContentVersion WHERE PathOnClient = 'transcript-{sid}.txt'");
        var version = Assert.Single(versions);
        Assert.Equal("1", version.Str("VersionNumber"));
        var links = await QueryAsync(server, tenant, $"SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '{task.Str("Id")}'");
        Assert.Equal(version.Str("ContentDocumentId"), Assert.Single(links).Str("ContentDocumentId"));
        Assert.Equal(1, await CountAsync(server, tenant, "ContentDocument"));
    }

    [Fact]
    public async Task TamperedOrMissingSignature_Is403AndWritesNothing()
    {
        var (tenant, token, _, _, _) = await SetUpAsync("Voice tamper");
        string sid = NewCallSid();
        var form = Form("twilio-status-completed.form", sid);
        int changes = (await tenant.CallOkAsync("list_changes", new { limit = 100 })).GetProperty("changes").GetArrayLength();

        var attempts = new[]
        {
            await PostTwilioAsync(server, tenant.TenantId, token, form, f => [.. f.Where(p => p.Key != "CallDuration"), new("CallDuration", "9999")]),
            await PostTwilioAsync(server, tenant.TenantId, token, form, f => [.. f, new("RecordingUrl", "https://evil.example/x")]),
            await PostTwilioAsync(server, tenant.TenantId, token, form, signature: ""),
            await PostTwilioAsync(server, tenant.TenantId, token, form, signature: "bm90IGEgc2lnbmF0dXJl"),
            await PostTwilioAsync(server, tenant.TenantId, NewAuthToken(), form),
        };
        foreach (var reply in attempts)
        {
            Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
            Assert.Equal("INSUFFICIENT_ACCESS", reply.Body.Str("error"));
            Assert.StartsWith("X-Twilio-Signature does not match this request", reply.Body.Str("message"));
        }
        Assert.Empty(await TasksAsync(server, tenant, sid));
        Assert.Equal(0, await CountAsync(server, tenant, "Task"));
        Assert.Equal(changes, (await tenant.CallOkAsync("list_changes", new { limit = 100 })).GetProperty("changes").GetArrayLength());
    }

    [Fact]
    public async Task OtherTenantsToken_AgainstThisTenantsUrl_Is403AndNothingIsLogged()
    {
        var (a, tokenA, secretA, _, _) = await SetUpAsync("Voice tenant A");
        var (b, _, _, _, _) = await SetUpAsync("Voice tenant B");
        string sid = NewCallSid();

        var wrongTenant = await PostTwilioAsync(server, b.TenantId, tokenA, Form("twilio-status-completed.form", sid));
        var unknownTenant = await PostTwilioAsync(server, Guid.NewGuid().ToString(), tokenA, Form("twilio-status-completed.form", sid));
        var transcript = await PostDeepgramAsync(server, b.TenantId, secretA, Sample("deepgram-prerecorded.json", sid));
        var bearer = await PostDeepgramAsync(server, b.TenantId, secretA, Sample("deepgram-prerecorded.json", sid), basic: false);
        Assert.Equal(HttpStatusCode.Forbidden, wrongTenant.Status);
        // A tenant that exists answers exactly as one that does not.
        Assert.Equal(unknownTenant.Status, wrongTenant.Status);
        Assert.Equal(unknownTenant.Text, wrongTenant.Text);
        Assert.Equal(HttpStatusCode.Forbidden, transcript.Status);
        Assert.Equal(HttpStatusCode.Forbidden, bearer.Status);
        Assert.Equal(0, await CountAsync(server, b, "Task"));
        Assert.Equal(0, await CountAsync(server, a, "Task"));

        // A's own URL takes A's callbacks, and B still holds nothing.
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(server, a.TenantId, tokenA, Form("twilio-status-completed.form", sid))).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostDeepgramAsync(server, a.TenantId, secretA, Sample("deepgram-prerecorded.json", sid), basic: false)).Status);
        Assert.Single(await TasksAsync(server, a, sid));
        Assert.Equal(0, await CountAsync(server, b, "Task"));
    }

    [Fact]
    public async Task UnknownCaller_LeadOrUnmatchedAsConfigured_AndAnOutboundCallIsTheCallingUsers()
    {
        var (tenant, token, _, _, grace) = await SetUpAsync("Voice unknown");
        // Outbound: Grace's number calls a number nobody holds; a Lead is created for it (the default).
        string first = NewCallSid();
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(server, tenant.TenantId, token, Form("twilio-status-outbound.form", first))).Status);
        var task = Assert.Single(await TasksAsync(server, tenant, first));
        var lead = Assert.Single(await QueryAsync(server, tenant, "SELECT Id, Phone FROM Lead"));
        Assert.Equal(lead.Str("Id"), task.Str("WhoId"));
        Assert.Equal("Outbound", task.Str("CallType"));
        Assert.Equal(grace, task.Str("OwnerId"));
        Assert.Equal(42, task.GetProperty("CallDurationInSeconds").GetInt32());

        // The next call to that number finds the Lead, written as "(646) 555-0123" or "+1 646-555-0123" alike.
        string second = NewCallSid();
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(server, tenant.TenantId, token, Form("twilio-status-outbound.form", second, ("To", "6465550123")))).Status);
        Assert.Equal(lead.Str("Id"), Assert.Single(await TasksAsync(server, tenant, second)).Str("WhoId"));
        Assert.Equal(1, await CountAsync(server, tenant, "Lead"));

        // Set to log unmatched, with a default owner: an unknown caller to a number no user holds.
        var set = await ApiClient.SendAsync(server, HttpMethod.Put, "/api/integrations/voice", tenant.ApiKey, JsonSerializer.Serialize(new { unmatched = "log", default_owner = tenant.Username }));
        Assert.True(set.Status == HttpStatusCode.OK, set.Text);
        Assert.Equal("log", set.Body.Str("unmatched"));
        Assert.Equal(tenant.UserId, set.Body.Str("default_owner"));
        Assert.DoesNotContain(token, set.Text);
        string third = NewCallSid();
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(server, tenant.TenantId, token,
            Form("twilio-status-completed.form", third, ("From", "+442079460958"), ("To", "+14155550100")))).Status);
        var unmatched = Assert.Single(await TasksAsync(server, tenant, third));
        Assert.Equal(JsonValueKind.Null, unmatched.GetProperty("WhoId").ValueKind);
        Assert.Equal("Call with +44 20 7946 0958", unmatched.Str("Subject"));
        Assert.Equal(tenant.UserId, unmatched.Str("OwnerId"));
        Assert.Equal(1, await CountAsync(server, tenant, "Lead"));
    }

    [Fact]
    public async Task SeveralRecordsHoldTheNumber_TheMostRecentlyChangedIsTheCaller()
    {
        var (tenant, token, _, ada, _) = await SetUpAsync("Voice several");
        string lead = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Byron", Company = "Poets", MobilePhone = "+1 212 555 0199" } })).Str("Id");
        string sid = NewCallSid();
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(server, tenant.TenantId, token, Form("twilio-status-completed.form", sid))).Status);
        Assert.Equal(lead, Assert.Single(await TasksAsync(server, tenant, sid)).Str("WhoId"));

        await tenant.CallOkAsync("update_record", new { Id = ada, fields = new { Title = "Countess" } });
        string next = NewCallSid();
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(server, tenant.TenantId, token, Form("twilio-status-completed.form", next))).Status);
        Assert.Equal(ada, Assert.Single(await TasksAsync(server, tenant, next)).Str("WhoId"));

        // A call whose Task is in the recycle bin is refused and changes nothing; restored, it takes callbacks again.
        string task = Assert.Single(await TasksAsync(server, tenant, next)).Str("Id");
        await tenant.CallOkAsync("delete_record", new { Id = task });
        var refused = await PostTwilioAsync(server, tenant.TenantId, token, Form("twilio-recording-completed.form", next));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("ENTITY_IS_DELETED", refused.Body.Str("error"));
        await tenant.CallOkAsync("delete_record", new { Id = task, restore = true });
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(server, tenant.TenantId, token, Form("twilio-status-completed.form", next))).Status);
        Assert.Equal(JsonValueKind.Null, Assert.Single(await TasksAsync(server, tenant, next)).GetProperty("Description").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(server, tenant.TenantId, token, Form("twilio-recording-completed.form", next))).Status);
        Assert.Equal($"Recording: {Recording}", Assert.Single(await TasksAsync(server, tenant, next)).Str("Description"));
    }

    [Fact]
    public async Task CallBetweenTwoUsersNumbers_IsInternal_OwnedByTheCalledUser_WithNoWho()
    {
        var (tenant, token, _, _, grace) = await SetUpAsync("Voice internal");
        var sam = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/users", tenant.ApiKey,
            JsonSerializer.Serialize(new { email = $"sam.{Guid.NewGuid():N}@engines.test", name = "Sam Sample", mobile_phone = "+1 (415) 555-0100" }));
        Assert.True(sam.Status == HttpStatusCode.Created, sam.Text);
        string sid = NewCallSid();
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(server, tenant.TenantId, token, Form("twilio-status-completed.form", sid, ("From", "+14155550100")))).Status);
        var task = Assert.Single(await TasksAsync(server, tenant, sid));
        Assert.Equal(("Internal call", "Internal", grace), (task.Str("Subject"), task.Str("CallType"), task.Str("OwnerId")));
        Assert.Equal(JsonValueKind.Null, task.GetProperty("WhoId").ValueKind);
        Assert.Equal(0, await CountAsync(server, tenant, "Lead"));
    }
}
