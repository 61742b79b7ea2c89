using System.Buffers;
using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Search.Semantic;
using RevOps.Domain.Tenancy;
using RevOps.Server.Auth;
using RevOps.Server.Json;

namespace RevOps.Server.Search;

/// <summary>
/// GET /api/search: search_crm over HTTP, with the same parameters as query parameters (objects comma-separated
/// or repeated) and the same answer. Salesforce defines nothing for ranked search, so it is not under /services/data.
/// </summary>
public static class SearchApi
{
    const string Channel = "rest";

    public static RouteGroupBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/search").RequireAuthorization();
        api.MapGet("", SearchAsync);
        return api;
    }

    static async Task<IResult> SearchAsync(HttpContext http, RankedSearch search, CancellationToken ct)
    {
        if (CallerClaims.FromPrincipal(http.User, Channel) is not { } caller || !caller.Scopes.HasFlag(Scopes.Read))
            return TypedResults.Json(new ErrorBody("insufficient_access", "Searching needs an API key with the read scope."), ServerJson.Default.ErrorBody, statusCode: StatusCodes.Status403Forbidden);
        var q = http.Request.Query;
        string? Get(string name) => q.TryGetValue(name, out var v) ? v.ToString() : null;
        IReadOnlyList<string>? objects = q.TryGetValue("objects", out var o)
            ? o.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray()
            : null;
        var query = SearchQuery.Parse(caller, Get("text") ?? Get("q"), Get("mode"), objects, Get("limit"), Get("ownerId"), Get("industry"), Get("stage"),
            Get("createdAfter"), Get("createdBefore"));
        if (!query.IsOk) return BadRequest(query.Error);
        var found = await search.SearchAsync(caller, query.Value.Text, query.Value.Objects, query.Value.Limit, query.Value.Mode, query.Value.Filters, ct);
        if (!found.IsOk) return BadRequest(found.Error);
        var body = new ArrayBufferWriter<byte>();
        await using (var w = new Utf8JsonWriter(body)) RankedJson.Write(w, found.Value);
        return TypedResults.Bytes(body.WrittenMemory.ToArray(), "application/json");
    }

    static IResult BadRequest(CrmError error) =>
        TypedResults.Json(new ErrorBody(error.Code.ToLowerInvariant(), error.Message), ServerJson.Default.ErrorBody, statusCode: StatusCodes.Status400BadRequest);
}
