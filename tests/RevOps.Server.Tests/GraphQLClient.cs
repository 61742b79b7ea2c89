using System.Net;
using System.Text;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>Plain HTTP to /services/data/v60.0/graphql (jsforce has no GraphQL helper): the status, the JSON answer and the SQL statement count.</summary>
public static class GraphQLClient
{
    public const string Path = "services/data/v60.0/graphql";

    public sealed record Answer(HttpStatusCode Status, JsonElement Body, int Statements)
    {
        public JsonElement Data => Body.GetProperty("data");

        public bool HasErrors => Body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array;

        public JsonElement Error => Body.GetProperty("errors")[0];

        /// <summary>uiapi.query.{object}'s connection.</summary>
        public JsonElement Connection(string obj) => Data.GetProperty("uiapi").GetProperty("query").GetProperty(obj);

        public IEnumerable<JsonElement> Nodes(string obj) => Connection(obj).GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"));
    }

    public static Task<Answer> PostAsync(CrmServerFixture server, string apiKey, string query, object? variables = null) =>
        SendAsync(server, apiKey, JsonSerializer.Serialize(new { query, variables }));

    public static async Task<Answer> SendAsync(CrmServerFixture server, string apiKey, string body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, Path));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + apiKey);
        request.Content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        int statements = response.Headers.TryGetValues("X-RevOps-Sql-Statements", out var values) ? int.Parse(values.First()) : -1;
        return new Answer(response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), statements);
    }

    public static string Value(this JsonElement node, string field) => node.GetProperty(field).GetProperty("value").GetString()!;
}
