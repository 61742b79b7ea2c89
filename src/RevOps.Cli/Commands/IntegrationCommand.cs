using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using RevOps.Domain.Audit;
using RevOps.Domain.Errors;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Voice;
using Spectre.Console;

namespace RevOps.Cli.Commands;

/// <summary>
/// revops integration twilio|deepgram|voice|show: a tenant's voice integration. Secrets are read from files (never from
/// the command line, where process lists and shell histories would keep them) and never printed.
/// </summary>
internal static class IntegrationCommand
{
    public static Command Create()
    {
        var command = new Command("integration", "Set up a tenant's voice integration: Twilio's auth token, the Deepgram callback secret, and how calls are logged.");
        command.Subcommands.Add(Twilio());
        command.Subcommands.Add(Deepgram());
        command.Subcommands.Add(Voice());
        command.Subcommands.Add(Show());
        return command;
    }

    static Option<string> TenantOption() => new("--tenant") { Description = "Tenant id (UUID).", Required = true };

    static Command Twilio()
    {
        var tenant = TenantOption();
        var file = new Option<string?>("--auth-token-file") { Description = "File holding the Twilio account's auth token (32 hex digits), which signs its webhooks." };
        var account = new Option<string?>("--account-sid") { Description = "The Twilio Account Sid (AC + 32 hex digits; not a secret): with it, call recordings are fetched and stored as files on the call's Task." };
        var data = CommonOptions.Data();
        var command = new Command("twilio", "Store the tenant's Twilio auth token and/or Account Sid: POST /webhooks/twilio/{tenant}/voice then accepts callbacks it signed.") { tenant, file, account, data };
        command.SetAction(async (result, ct) => await WithTenantAsync(result, tenant, data, async (voice, id) =>
        {
            string? path = result.GetValue(file);
            string? token = null;
            if (path is not null && (token = ReadSecret(path)) is null) return MissingFile(path);
            return await voice.SetTwilioAsync(id, token, result.GetValue(account), AuditSource.Cli, ct);
        }, ct));
        return command;
    }

    static Command Deepgram()
    {
        var tenant = TenantOption();
        var file = new Option<string>("--secret-file") { Description = "File holding the callback secret Deepgram presents (16-256 printable characters), e.g. from `openssl rand -hex 32`.", Required = true };
        var data = CommonOptions.Data();
        var command = new Command("deepgram", "Store the hash of the tenant's Deepgram callback secret: POST /webhooks/deepgram/{tenant} then accepts transcripts that carry it.") { tenant, file, data };
        command.SetAction(async (result, ct) => await WithTenantAsync(result, tenant, data, async (voice, id) =>
            ReadSecret(result.GetValue(file)!) is { } secret ? await voice.SetDeepgramSecretAsync(id, secret, AuditSource.Cli, ct) : MissingFile(result.GetValue(file)!), ct));
        return command;
    }

    static Command Voice()
    {
        var tenant = TenantOption();
        var region = new Option<string?>("--default-region") { Description = "Region numbers without a country code are read in (ISO 3166, e.g. US, GB; default US)." };
        var unmatched = new Option<string?>("--unmatched") { Description = "lead (create a Lead for an unknown caller; the default) or log (log the call with no Contact or Lead)." };
        var owner = new Option<string?>("--default-owner") { Description = "User (Id, username or email) who owns calls no user's number took; \"\" for the org's default user." };
        var data = CommonOptions.Data();
        var command = new Command("voice", "Set how the tenant's calls are logged.") { tenant, region, unmatched, owner, data };
        command.SetAction(async (result, ct) => await WithTenantAsync(result, tenant, data, (voice, id) =>
            voice.SetSettingsAsync(id, result.GetValue(region), result.GetValue(unmatched), result.GetValue(owner), AuditSource.Cli, ct), ct));
        return command;
    }

    static Command Show()
    {
        var tenant = TenantOption();
        var data = CommonOptions.Data();
        var command = new Command("show", "Show the tenant's voice settings and which secrets are set (never the secrets).") { tenant, data };
        command.SetAction(async (result, ct) => await WithTenantAsync(result, tenant, data,
            async (voice, id) => CrmResult<VoiceIntegrationService.Status>.Ok(await voice.GetAsync(id, ct)), ct));
        return command;
    }

    static async Task<int> WithTenantAsync(ParseResult result, Option<string> tenant, Option<string?> data,
        Func<VoiceIntegrationService, TenantId, Task<CrmResult<VoiceIntegrationService.Status>>> run, CancellationToken ct)
    {
        await using var store = LocalStore.Open(CommonOptions.Local(result, data));
        string? text = result.GetValue(tenant);
        if (!TenantId.TryParse(text, out var id) || await store.TenantStore.GetAsync(id, ct) is null)
            return CommonOptions.Fail($"'{text}' is not the id of a tenant here (revops tenant list shows them).");
        var done = await run(store.Services.GetRequiredService<VoiceIntegrationService>(), id);
        if (!done.IsOk) return CommonOptions.Fail(done.Error.Message);
        var table = new Table().AddColumns("Setting", "Value");
        table.AddRow("Twilio auth token", done.Value.TwilioConfigured ? "set" : "not set");
        table.AddRow("Twilio Account Sid", done.Value.TwilioAccountSid ?? "not set (recordings stay links)");
        table.AddRow("Deepgram callback secret", done.Value.DeepgramConfigured ? "set" : "not set");
        table.AddRow("Default region", done.Value.Settings.DefaultRegion);
        table.AddRow("Unknown callers", done.Value.Settings.Unmatched == UnmatchedCalls.CreateLead ? "lead (a Lead is created)" : "log (logged unmatched)");
        table.AddRow("Default owner", Markup.Escape(done.Value.Settings.DefaultOwnerId ?? "the org's default user"));
        AnsiConsole.Write(table);
        return 0;
    }

    /// <summary>The secret in the file (trimmed), or null when there is no such file or it is far too big to hold only a secret.</summary>
    static string? ReadSecret(string path) =>
        File.Exists(path) && new FileInfo(path).Length <= 4096 ? File.ReadAllText(path).Trim() : null;

    static CrmError MissingFile(string path) =>
        new(ErrorCodes.InvalidArgument, $"'{path}' is not a file holding only the secret (it is missing, or bigger than 4 KB). Write the secret into a file only you can read, and name it.");
}
