using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using RevOps.Domain.Files;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;

namespace RevOps.Server.SalesforceApi;

/// <summary>
/// Files through the sobjects API, as jsforce sends them: POST /sobjects/ContentVersion with VersionData as
/// base64 inside the JSON, or as multipart/form-data with one application/json part (jsforce names it after the
/// object, Salesforce's examples entity_content) and one binary part named VersionData, streamed to the blob store
/// without being held in memory; GET /sobjects/ContentVersion/{id}/VersionData streams the bytes back.
/// </summary>
public static class ContentVersionEndpoints
{
    const string Path = "/sobjects/ContentVersion";
    const int MaxJsonPartBytes = 1024 * 1024;

    /// <summary>A JSON body carries at most Salesforce's 37.5 MB of base64, plus room for the other fields.</summary>
    public const long MaxJsonBodyBytes = FileLimits.Base64MaxChars + MaxJsonPartBytes;

    public static void Map(RouteGroupBuilder data)
    {
        data.MapPost(Path, CreateAsync);
        data.MapGet(Path + "/{id}/VersionData", DownloadAsync);
    }

    /// <summary>The body limit of an upload to this route (the only one whose limit is raised), or null for any other request.</summary>
    public static long? UploadLimit(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method) || request.Path.Value is not { } path || !path.StartsWith("/services/data/", StringComparison.Ordinal)
            || !path.EndsWith(Path, StringComparison.OrdinalIgnoreCase) || path.Count(c => c == '/') != 5)
            return null;
        return IsMultipart(request) ? FileLimits.MultipartMaxBytes + MaxJsonPartBytes : MaxJsonBodyBytes;
    }

    static bool IsMultipart(HttpRequest request) => request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;

    static async Task<IResult> CreateAsync(HttpContext http, string version, FileService files, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var created = IsMultipart(http.Request) ? await CreateFromMultipartAsync(http, files, ct) : await CreateFromJsonAsync(http, files, ct);
        if (created.Error is not null) return SfJson.Error(created.Error with { Object = StandardObjects.ContentVersion.Name });
        return SfJson.Ok(w => SfJson.WriteSaveResult(w, created.Id, []), StatusCodes.Status201Created);
    }

    static async Task<(string? Id, SfError? Error)> CreateFromJsonAsync(HttpContext http, FileService files, CancellationToken ct)
    {
        var (body, bad) = await SfRequest.BodyAsync(http.Request, ct);
        if (bad is not null) return (null, bad);
        var data = body.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, "VersionData", StringComparison.OrdinalIgnoreCase));
        if (data.Value.ValueKind != JsonValueKind.String)
            return (null, new SfError(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [VersionData]. Send the file's bytes as base64 in VersionData, or the file as the multipart/form-data part VersionData.", ["VersionData"]));
        string base64 = data.Value.GetString()!;
        if (base64.Length > FileLimits.Base64MaxChars)
            return (null, new SfError(400, "STORAGE_LIMIT_EXCEEDED", $"VersionData holds more than the {FileLimits.Base64MaxChars:N0} characters of base64 a JSON body may carry. Send the file as multipart/form-data (part VersionData) instead, up to {FileLimits.MultipartMaxBytes:N0} bytes.", ["VersionData"]));
        var bytes = new byte[base64.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64String(base64, bytes, out int length))
            return (null, new SfError(400, "INVALID_FIELD", "VersionData is not valid base64. Send the file's bytes base64-encoded (RFC 4648, with padding).", ["VersionData"]));
        var fields = new RecordInput(SfRequest.Fields(body, skipId: true).Fields.Where(f => !string.Equals(f.Key, "VersionData", StringComparison.OrdinalIgnoreCase)).ToArray());
        using var content = new MemoryStream(bytes, 0, length, writable: false);
        var created = await files.CreateVersionAsync(SfRequest.Caller(http), fields, content, length, ct);
        return created.IsOk ? (created.Value.Id, null) : (null, SfError.From(created.Error));
    }

    static async Task<(string? Id, SfError? Error)> CreateFromMultipartAsync(HttpContext http, FileService files, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
            return (null, Malformed("The multipart/form-data Content-Type has no boundary."));
        var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024 };
        var caller = SfRequest.Caller(http);
        RecordInput? fields = null;
        StoredBlob? blob = null;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                string? name = ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    ? HeaderUtilities.RemoveQuotes(disposition.Name).Value : null;
                bool json = section.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;
                if (json)
                {
                    if (fields is not null) return (null, Malformed("The request has two application/json parts; send the ContentVersion's fields in one."));
                    var parsed = await ReadJsonPartAsync(section.Body, ct);
                    if (parsed.Error is not null) return (null, parsed.Error);
                    fields = parsed.Fields;
                }
                else if (string.Equals(name, "VersionData", StringComparison.OrdinalIgnoreCase))
                {
                    if (blob is not null) return (null, Malformed("The request has two VersionData parts; send one file per ContentVersion."));
                    // Fields sent first (Salesforce's own order) are checked before any byte is stored.
                    if (fields is not null && await files.CheckAsync(caller, fields, ct) is { } invalid) return (null, SfError.From(invalid));
                    var stored = await files.StoreAsync(caller, section.Body, FileLimits.MultipartMaxBytes, ct);
                    if (!stored.IsOk) return (null, SfError.From(stored.Error));
                    blob = stored.Value;
                }
                else
                {
                    return (null, Malformed($"Unexpected part '{Clip(name)}': send one application/json part with the ContentVersion's fields and one binary part named VersionData."));
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException && e is not BadHttpRequestException)
        {
            return (null, Malformed($"The multipart/form-data body could not be read ({e.Message}). Check the boundary and that the body ends with --boundary--."));
        }
        if (fields is null) return (null, Malformed("The request has no application/json part: send the ContentVersion's fields (Title, PathOnClient, …) as a part with Content-Type application/json."));
        if (blob is null) return (null, new SfError(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [VersionData]. Send the file as the binary part named VersionData.", ["VersionData"]));
        var created = await files.CreateVersionAsync(caller, fields, blob, ct);
        return created.IsOk ? (created.Value.Id, null) : (null, SfError.From(created.Error));
    }

    /// <summary>The JSON part's fields, read into memory only up to <see cref="MaxJsonPartBytes"/>.</summary>
    static async Task<(RecordInput? Fields, SfError? Error)> ReadJsonPartAsync(Stream part, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await part.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxJsonPartBytes)
                return (null, Malformed($"The application/json part is larger than {MaxJsonPartBytes:N0} bytes; it holds the fields only, the file goes in the VersionData part."));
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        var (body, bad) = await SfRequest.BodyAsync(buffer, ct);
        if (bad is not null) return (null, bad);
        return (SfRequest.Fields(body, skipId: true), null);
    }

    static async Task<IResult> DownloadAsync(HttpContext http, string version, string id, FileService files, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var opened = await files.OpenAsync(SfRequest.Caller(http), id, ct);
        if (!opened.IsOk) return SfJson.Error(SfError.NotFound());
        return Results.Stream(opened.Value.Bytes, "application/octetstream");
    }

    static SfError Malformed(string message) => new(400, "MALFORMED_REQUEST", message);

    static string Clip(string? text) => text is null ? "(no name)" : text.Length > 80 ? text[..80] + "…" : text;
}
