using System.Text.Json;
using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Transport;
using RevOps.Domain;
using RevOps.Domain.Errors;
using RevOps.Domain.Schema;
using RevOps.Domain.Soql;
using RevOps.Domain.Telemetry;
using RevOps.Domain.Writes;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>
/// POST /services/data/vXX.X/graphql: Salesforce's GraphQL API (the UI API shape) over the same
/// route group as REST, so authentication, rate limits and metering are the same. The answer is
/// GraphQL's { data, errors } with status 200; a body that is not a GraphQL request is a 400.
/// X-RevOps-Sql-Statements says how many SQL statements the request issued.
/// </summary>
public static partial class GraphEndpoint
{
    public const string StatementsHeader = "X-RevOps-Sql-Statements";

    static readonly GraphQLSerializer Serializer = new(new GraphErrors());
    static readonly DocumentExecuter Executer = new();

    public static void Map(RouteGroupBuilder data) => data.MapPost("/graphql", HandleAsync);

    static async Task HandleAsync(HttpContext http, string version, GraphSchemas schemas, SchemaService tenantSchemas, SoqlService soql,
        RecordService records, RecycleBin bin, ILoggerFactory logs, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk)
        {
            await SfJson.Error(SfError.From(v.Error)).ExecuteAsync(http);
            return;
        }
        GraphQLRequest? body;
        try
        {
            body = await Serializer.ReadAsync<GraphQLRequest>(http.Request.Body, ct);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            await BadRequestAsync(http, "JSON_PARSER_ERROR", $"The body is not a GraphQL request: {e.Message} Send {{\"query\": \"…\", \"variables\": {{…}}}} as application/json.", ct);
            return;
        }
        if (string.IsNullOrWhiteSpace(body?.Query))
        {
            await BadRequestAsync(http, "MALFORMED_QUERY", "The body needs a query, e.g. {\"query\": \"query { uiapi { query { Account(first: 5) { edges { node { Name { value } } } } } } }\"}.", ct);
            return;
        }
        if (body.Query.Length > GraphLimits.MaxQueryLength)
        {
            await BadRequestAsync(http, "MALFORMED_QUERY", $"A query document can have at most {GraphLimits.MaxQueryLength:N0} characters; this one has {body.Query.Length:N0}. Use variables and fragments.", ct);
            return;
        }

        GraphQLParser.AST.GraphQLDocument? document = null;
        try
        {
            document = GraphQLParser.Parser.Parse(body.Query);
        }
        catch (GraphQLParser.Exceptions.GraphQLParserException)
        {
            // The executer parses again and reports it in GraphQL's shape.
        }
        if (document is not null && GraphDocumentCheck.Refuse(document) is { } refusal)
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            await Serializer.WriteAsync(http.Response.Body, new ExecutionResult { Errors = [refusal] }, ct);
            return;
        }

        var caller = SfRequest.Caller(http);
        var tenantSchema = await tenantSchemas.GetAsync(caller.Tenant, ct);
        // Counted from here: the statements the query itself costs (the schema read above is cached, so it comes and goes).
        var tally = SqlStatements.Track();
        var logger = logs.CreateLogger("RevOps.SalesforceApi.GraphQL");
        var result = await Executer.ExecuteAsync(options =>
        {
            options.Schema = schemas.For(tenantSchema);
            options.Query = body.Query;
            options.Document = document;
            options.Variables = body.Variables;
            options.OperationName = body.OperationName;
            options.UserContext = new GraphRequest(caller, tenantSchema, soql, records, bin);
            options.ValidationRules = GraphLimits.Rules;
            options.RequestServices = http.RequestServices;
            options.CancellationToken = ct;
            options.UnhandledExceptionDelegate = context =>
            {
                // What GraphQL.NET lets through as exceptions but is the client's document, not our bug.
                if (context.OriginalException is GraphQLParser.Exceptions.GraphQLMaxDepthExceededException)
                    context.Exception = new GraphErrors.Refusal("InvalidSyntax", ErrorCodes.MalformedQuery,
                        "The document nests deeper than 128 levels (fields, arguments and input values together); the query depth limit is " + GraphLimits.MaxDepth + " levels of fields.");
                else LogUnhandled(logger, context.OriginalException, http.Request.Path);
                return Task.CompletedTask;
            };
        });
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers[StatementsHeader] = tally.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Serializer.WriteAsync(http.Response.Body, result, ct);
    }

    static async Task BadRequestAsync(HttpContext http, string code, string message, CancellationToken ct)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        http.Response.ContentType = "application/json; charset=utf-8";
        var result = new ExecutionResult { Errors = [new ExecutionError(message) { Code = code }] };
        await Serializer.WriteAsync(http.Response.Body, result, ct);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "GraphQL resolver failed on {Path}")]
    static partial void LogUnhandled(ILogger logger, Exception exception, PathString path);
}
