using System.Text.Json;
using ModelContextProtocol.Protocol;
using RevOps.Domain.Errors;
using RevOps.Domain.Files;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;
using RevOps.Server.Files;
using RevOps.Server.Json;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

/// <summary>
/// Files through the generic record tools, with no tool of their own: create_record on ContentVersion takes VersionData
/// as base64 or as a URL the server fetches; get_record on ContentVersion with fields ["TextContent"] reads the file's text.
/// </summary>
public sealed class ContentVersionTools(FileService files, FileFetcher fetcher)
{
    public async Task<CallToolResult> CreateAsync(Caller caller, RecordInput input, CancellationToken ct)
    {
        var data = input.Fields.FirstOrDefault(f => string.Equals(f.Key, "VersionData", StringComparison.OrdinalIgnoreCase));
        if (data.Value.ValueKind != JsonValueKind.String)
            return ToolResults.Error(new CrmError(ErrorCodes.RequiredFieldMissing, "ContentVersion needs VersionData: the file's bytes as base64, or an https URL the server fetches. Send PathOnClient (the file name) too.", "VersionData"));
        var fields = new RecordInput(input.Fields.Where(f => !string.Equals(f.Key, "VersionData", StringComparison.OrdinalIgnoreCase)).ToArray());
        if (await files.CheckAsync(caller, fields, ct) is { } invalid) return ToolResults.Error(invalid);
        string value = data.Value.GetString()!;
        CrmResult<StoredBlob> blob;
        if (FileFetcher.IsUrl(value)) blob = await fetcher.FetchAsync(caller, value, ct);
        else
        {
            var bytes = new byte[value.Length / 4 * 3 + 3];
            if (value.Length > FileLimits.Base64MaxChars || !Convert.TryFromBase64String(value, bytes, out int length))
                return ToolResults.Error(new CrmError(ErrorCodes.InvalidFieldValue, "VersionData is neither an http(s) URL nor valid base64 (at most 37,500,000 characters). Send the file's bytes base64-encoded, or a URL.", "VersionData"));
            using var content = new MemoryStream(bytes, 0, length, writable: false);
            blob = await files.StoreAsync(caller, content, length, ct);
        }
        if (!blob.IsOk) return ToolResults.Error(blob.Error);
        var created = await files.CreateVersionAsync(caller, fields, blob.Value, ct);
        return created.IsOk ? ToolResults.Record(created.Value) : ToolResults.Error(created.Error);
    }

    /// <summary>The version as get_record writes it, with its text as TextContent.</summary>
    public async Task<CallToolResult> WithTextAsync(Caller caller, Record version, IReadOnlySet<string>? fields, CancellationToken ct)
    {
        var opened = await files.OpenAsync(caller, version.Id, ct);
        if (!opened.IsOk) return ToolResults.Error(opened.Error);
        string text;
        await using (opened.Value.Bytes) text = await FileText.ExtractAsync(version, opened.Value.Bytes, ct);
        return ToolResults.FromJson(w =>
        {
            w.WriteStartObject();
            RecordJson.WriteFields(w, version, fields);
            w.WriteString(FileText.Field, text);
            w.WriteEndObject();
        });
    }
}
