using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;
using RevOps.Server.Auth;

namespace RevOps.Server.SalesforceApi;

/// <summary>What every REST handler needs first: the caller, the API version of the path, the object and the body.</summary>
public static class SfRequest
{
    public const string Channel = "rest";

    public static Caller Caller(HttpContext http) =>
        (CallerClaims.FromPrincipal(http.User, Channel) ?? throw new InvalidOperationException("Salesforce API endpoints require authentication."))
        with { RequestId = Observability.RequestIds.Of(http) };

    /// <summary>The version in the path ("v60.0" → "60.0"), or the NOT_FOUND Salesforce gives for an unknown one.</summary>
    public static CrmResult<string> Version(string segment) =>
        ApiVersion.Parse(segment) is { } version ? version : new CrmError(ErrorCodes.NotFound, "The requested resource does not exist");

    /// <summary>An sObject type: a standard object or one of the caller's tenant's custom objects.</summary>
    public static async ValueTask<(ObjectMetadata Object, SfError? Error)> ObjectAsync(HttpContext http, string name, CancellationToken ct)
    {
        if (StandardObjects.TryGet(name, out var standard)) return (standard, null);
        var schema = await http.RequestServices.GetRequiredService<Domain.Schema.SchemaService>().GetAsync(Caller(http).Tenant, ct);
        if (schema.TryGetObject(name, out var custom)) return (custom, null);
        return (null!, SfError.NotFound($"The requested resource does not exist: sObject type '{name}' is not supported. Objects: {string.Join(", ", schema.Objects.Select(o => o.Name))}."
            + (Domain.Rules.Suggestions.ObjectSynonym(name) is { } meant ? $" Did you mean {meant}?" : "")));
    }

    public static SfError? Object(string name, out ObjectMetadata obj) =>
        StandardObjects.TryGet(name, out obj)
            ? null
            : SfError.NotFound($"The requested resource does not exist: sObject type '{name}' is not supported. Objects: {string.Join(", ", StandardObjects.All.Select(o => o.Name))}."
                + (Domain.Rules.Suggestions.ObjectSynonym(name) is { } meant ? $" Did you mean {meant}?" : ""));

    /// <summary>The JSON body as an object, or JSON_PARSER_ERROR.</summary>
    public static Task<(JsonElement Body, SfError? Error)> BodyAsync(HttpRequest request, CancellationToken ct) => BodyAsync(request.Body, ct);

    /// <summary>A JSON object read from <paramref name="body"/> (a request's, or one part of a multipart request), or JSON_PARSER_ERROR.</summary>
    public static async Task<(JsonElement Body, SfError? Error)> BodyAsync(Stream body, CancellationToken ct)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: ct);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return (default, SfError.JsonParser("The request body must be a JSON object of field names and values."));
            if (!Json.JsonText.IsDecodable(document.RootElement))
                return (default, SfError.JsonParser("The request body holds a string with an unpaired UTF-16 surrogate escape (e.g. \\ud800 alone); send valid Unicode text."));
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, SfError.JsonParser(e.Message));
        }
    }

    /// <summary>A record body's fields, leaving out the attributes (and, when told, Id) that clients send along.</summary>
    public static RecordInput Fields(JsonElement body, bool skipId = false) =>
        new(body.EnumerateObject()
            .Where(p => p.Name != "attributes" && !(skipId && string.Equals(p.Name, "Id", StringComparison.OrdinalIgnoreCase)))
            .Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value))
            .ToArray());

    /// <summary>"No such column 'X' on sobject of type Account" for a field the tenant's schema lacks.</summary>
    public static SfError NoSuchColumn(string field, ObjectMetadata obj) =>
        new(400, "INVALID_FIELD", $"No such column '{field}' on sobject of type {obj.Name}", [field]);
}
