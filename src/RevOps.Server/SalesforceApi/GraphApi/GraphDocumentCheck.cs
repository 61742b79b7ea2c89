using GraphQLParser.AST;
using RevOps.Domain.Errors;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>
/// Checks made on the parsed document before GraphQL.NET validates it: validation compares
/// selections pairwise (thousands of fields take seconds), and a subscription has no executor here.
/// </summary>
public static class GraphDocumentCheck
{
    /// <summary>Fields written in one document, fragments counted once.</summary>
    public const int MaxFields = 1000;

    public static GraphErrors.Refusal? Refuse(GraphQLDocument document)
    {
        int fields = 0;
        foreach (var definition in document.Definitions)
        {
            if (definition is GraphQLOperationDefinition { Operation: OperationType.Subscription })
                return new GraphErrors.Refusal("ValidationError", ErrorCodes.InvalidArgument, "Subscriptions are not supported; send a query or a mutation.");
            if (definition is GraphQLExecutableDefinition executable) fields += Count(executable.SelectionSet);
            if (fields > MaxFields)
                return new GraphErrors.Refusal("ValidationError", ErrorCodes.InvalidArgument,
                    $"A document may select at most {MaxFields} fields; this one selects more. Split it, or select each field once.");
        }
        return null;
    }

    static int Count(GraphQLSelectionSet? set)
    {
        if (set is null) return 0;
        int count = 0;
        foreach (var selection in set.Selections)
        {
            count += selection switch
            {
                GraphQLField field => 1 + Count(field.SelectionSet),
                GraphQLInlineFragment inline => Count(inline.SelectionSet),
                _ => 0,
            };
            if (count > MaxFields) break;
        }
        return count;
    }
}
