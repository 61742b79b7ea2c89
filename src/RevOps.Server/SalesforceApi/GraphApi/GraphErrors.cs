using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using RevOps.Domain.Errors;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>
/// Errors in GraphQL's shape ({ message, locations, path, extensions }) with Salesforce's
/// classification in extensions.ErrorType and our stable code in extensions.errorCode.
/// </summary>
public sealed class GraphErrors : ErrorInfoProvider
{
    /// <summary>Adds a domain error at the field being resolved; the field's value is null.</summary>
    public static object? Report(IResolveFieldContext context, CrmError error) => Site.Of(context).Report(error);

    /// <summary>Where a field is, kept past its resolver (GraphQL.NET reuses resolver contexts), for errors of deferred loads.</summary>
    public sealed record Site(ExecutionErrors Errors, GraphQLParser.AST.GraphQLField Field, GraphQLParser.AST.GraphQLDocument Document, object[] Path)
    {
        public static Site Of(IResolveFieldContext context) => new(context.Errors, context.FieldAst, context.Document, context.Path.ToArray());

        public object? Report(CrmError error)
        {
            var failure = new ExecutionError(error.Message) { Code = error.Code, Path = Path };
            failure.AddLocation(Field, Document);
            lock (Errors) Errors.Add(failure);
            return null;
        }
    }

    /// <summary>A document refused for a reason GraphQL.NET reports as an exception (parser depth, subscriptions).</summary>
    public sealed class Refusal(string errorType, string code, string message) : ExecutionError(message)
    {
        public string ErrorType { get; } = errorType;
        public string ErrorCode { get; } = code;
    }

    public override ErrorInfo GetInfo(ExecutionError executionError)
    {
        var info = base.GetInfo(executionError);
        if (executionError is Refusal refusal)
        {
            info.Extensions = new Dictionary<string, object?> { ["ErrorType"] = refusal.ErrorType, ["classification"] = refusal.ErrorType, ["errorCode"] = refusal.ErrorCode };
            return info;
        }
        string type = executionError switch
        {
            ValidationError => "ValidationError",
            SyntaxError => "InvalidSyntax",
            UnhandledError => "ExecutionAborted",
            _ => "DataFetchingException",
        };
        info.Extensions = new Dictionary<string, object?>
        {
            ["ErrorType"] = type,
            ["classification"] = type,
            ["errorCode"] = executionError switch
            {
                ValidationError or SyntaxError => ErrorCodes.InvalidArgument,
                UnhandledError => "UNKNOWN_EXCEPTION",
                _ => executionError.Code ?? ErrorCodes.InvalidArgument,
            },
        };
        return info;
    }
}
