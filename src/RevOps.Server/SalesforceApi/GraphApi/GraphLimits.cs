using GraphQL.Validation;
using GraphQL.Validation.Complexity;
using GraphQL.Validation.Rules.Custom;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>
/// What one GraphQL request may ask for. Depth counts selections (edges and node are levels of
/// their own); cost counts every field once per row it could return, a connection multiplying
/// its subtree by its first (10 when left out), so a request's work is known before it runs.
/// </summary>
public static class GraphLimits
{
    /// <summary>Rows per connection page, as Salesforce's GraphQL API allows.</summary>
    public const int MaxFirst = 2000;
    public const int MaxDepth = 24;
    public const int MaxCost = 200_000;
    /// <summary>Nesting of and/or/not in one where.</summary>
    public const int MaxFilterDepth = 16;
    /// <summary>Values in one in/nin list.</summary>
    public const int MaxListValues = 1000;
    /// <summary>Characters in a query document.</summary>
    public const int MaxQueryLength = 100_000;

    public static IEnumerable<IValidationRule> Rules { get; } = DocumentValidator.CoreRules.Append(new ComplexityValidationRule(new ComplexityOptions
    {
        MaxDepth = MaxDepth,
        MaxComplexity = MaxCost,
        DefaultComplexityImpactDelegate = Impact,
    })).Append(new GraphIntrospectionLimit()).ToArray();

    static FieldComplexityResult Impact(FieldImpactContext context)
    {
        if (context.FieldDefinition.Arguments?.Find("first") is null) return new FieldComplexityResult(1, 1);
        int first = context.GetArgument<int?>("first") ?? GraphSchemaBuilder.DefaultFirst;
        return new FieldComplexityResult(1, Math.Clamp(first, 1, MaxFirst));
    }
}
