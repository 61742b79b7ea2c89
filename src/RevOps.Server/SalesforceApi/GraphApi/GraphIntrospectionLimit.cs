using GraphQL.Validation;
using GraphQLParser.AST;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>
/// Introspection costs little per field but answers with the whole schema: a document may ask for
/// it a few times (tools send one __schema and some __type), not hundreds of times under aliases.
/// </summary>
public sealed class GraphIntrospectionLimit : ValidationRuleBase
{
    public const int MaxIntrospectionFields = 10;

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        int count = 0;
        return new(new MatchingNodeVisitor<GraphQLField>((field, validation) =>
        {
            if (field.Name.StringValue is "__schema" or "__type" && ++count == MaxIntrospectionFields + 1)
                validation.ReportError(new ValidationError(validation.Document.Source, "INTROSPECTION_LIMIT",
                    $"A document may hold at most {MaxIntrospectionFields} __schema and __type fields; send one introspection query and read the types from it.", field));
        }));
    }
}
