using RevOps.Domain.Audit;
using RevOps.Domain.Metadata;
using RevOps.Domain.Voice;

namespace RevOps.Storage.Tests;

/// <summary>
/// Voice (IVoiceStore): a call's row merges what each callback adds (Deepgram's transcript replaces Twilio's, never the
/// reverse; the revision grows only on a change), a call's Task is found by its row or by Task.CallObject, transcripts are
/// searched among live Tasks, settings and secrets are each tenant's own.
/// </summary>
public sealed class VoiceContractTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly DateTime T0 = DateTime.UnixEpoch.AddSeconds(Math.Floor((DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds));
    const string Sid = "CA0123456789abcdef0123456789abcdef";

    [Theory, Backends]
    public async Task MergeCall_AddsWhatEachCallbackKnows_DeepgramWins_RevisionGrowsOnlyOnChange(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var task = await acme.CreateAsync(StandardObjects.Task, $$"""{"Subject":"Call","TaskSubtype":"Call","CallObject":"{{Sid}}"}""", Ct);
        var voice = store.Backend.Voice;

        var recorded = await voice.MergeCallAsync(acme.Id, new VoiceCallUpdate(Sid, task.Id, "https://api.twilio.com/r/RE1", null, null), T0, Ct);
        Assert.Equal(new VoiceCall(Sid, task.Id, "https://api.twilio.com/r/RE1", null, null, 1), recorded);
        var deepgram = await voice.MergeCallAsync(acme.Id, new VoiceCallUpdate(Sid, task.Id, null, "Speaker 0: hello", TranscriptSources.Deepgram), T0, Ct);
        Assert.Equal(new VoiceCall(Sid, task.Id, "https://api.twilio.com/r/RE1", "Speaker 0: hello", "deepgram", 2), deepgram);
        var twilioLater = await voice.MergeCallAsync(acme.Id, new VoiceCallUpdate(Sid, "00T000000000000AAA", null, "hello", TranscriptSources.Twilio), T0, Ct);
        Assert.Equal(deepgram, twilioLater);
        Assert.Equal(deepgram, await voice.GetCallAsync(acme.Id, Sid, Ct));

        Assert.Equal(task.Id, await voice.FindTaskAsync(acme.Id, Sid, Ct));
        var other = await store.NewTenantAsync("Other", Ct);
        Assert.Null(await voice.FindTaskAsync(other.Id, Sid, Ct));
        Assert.Null(await voice.GetCallAsync(other.Id, Sid, Ct));
        Assert.Empty(await voice.SearchTranscriptsAsync(other.Id, "hello", 10, Ct));
        Assert.Equal(Sid, Assert.Single(await voice.SearchTranscriptsAsync(acme.Id, "HELLO", 10, Ct)).CallSid);
        Assert.Empty(await voice.SearchTranscriptsAsync(acme.Id, "hel%o", 10, Ct));
    }

    [Theory, Backends]
    public async Task FindTask_ByCallObject_WhenTheCallHasNoRowYet(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var task = await acme.CreateAsync(StandardObjects.Task, $$"""{"Subject":"Logged by hand","CallObject":"{{Sid}}"}""", Ct);
        Assert.Equal(task.Id, await store.Backend.Voice.FindTaskAsync(acme.Id, Sid, Ct));
        Assert.Null(await store.Backend.Voice.FindTaskAsync(acme.Id, "CA" + new string('f', 32), Ct));
    }

    [Theory, Backends]
    public async Task FindByPhoneKeys_EitherPhoneColumn_OfThisTenantOnly(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var other = await store.NewTenantAsync("Other", Ct);
        var ada = await acme.CreateAsync(StandardObjects.Contact, """{"LastName":"Lovelace","Phone":"(212) 555-0199"}""", Ct);
        var byron = await acme.CreateAsync(StandardObjects.Lead, """{"LastName":"Byron","Company":"Poets","MobilePhone":"+1 212 555 0199"}""", Ct);
        await acme.CreateAsync(StandardObjects.Contact, """{"LastName":"Elsewhere","Phone":"+1 212 555 0100"}""", Ct);
        await other.CreateAsync(StandardObjects.Contact, """{"LastName":"Lovelace","Phone":"212-555-0199"}""", Ct);

        var found = await store.Backend.Voice.FindByPhoneKeysAsync(acme.Id, ["2125550199"], 10, Ct);
        Assert.Equal([("Contact", ada.Id, "(212) 555-0199", (string?)null), ("Lead", byron.Id, null, "+1 212 555 0199")],
            found.Select(c => (c.Object, c.Id, c.Phone, c.MobilePhone)).OrderBy(c => c.Object, StringComparer.Ordinal));
        Assert.Empty(await store.Backend.Voice.FindByPhoneKeysAsync(acme.Id, [], 10, Ct));
    }

    [Theory, Backends]
    public async Task Settings_AndSecrets_AreEachTenantsOwn(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var other = await store.NewTenantAsync("Other", Ct);
        var voice = store.Backend.Voice;
        AuditEntry Audit(string target) => AuditSource.Cli.Entry(acme.Id, T0, AuditActions.IntegrationSet, target, "{}");

        Assert.Null(await voice.GetAsync(acme.Id, Ct));
        await voice.SetTwilioAsync(acme.Id, new string('a', 32), null, T0, Audit("twilio"), Ct);
        await voice.SetSettingsAsync(acme.Id, new VoiceSettings("GB", UnmatchedCalls.LogUnmatched, acme.User.Id), T0, Audit("voice"), Ct);
        await voice.SetDeepgramSecretAsync(acme.Id, "hash", T0, Audit("deepgram"), Ct);
        var stored = (await voice.GetAsync(acme.Id, Ct))!;
        Assert.Equal((new string('a', 32), "hash", new VoiceSettings("GB", UnmatchedCalls.LogUnmatched, acme.User.Id)),
            (stored.TwilioAuthToken, stored.DeepgramSecretHash, stored.Settings));
        Assert.Null(await voice.GetAsync(other.Id, Ct));
    }
}
