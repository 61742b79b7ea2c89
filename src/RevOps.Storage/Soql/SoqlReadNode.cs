using RevOps.Domain.Metadata;
using RevOps.Domain.Soql;

namespace RevOps.Storage.Soql;

/// <summary>Where each output of a plan sits in the result columns.</summary>
internal abstract record SoqlReadNode(string Name)
{
    public sealed record Value(string Name, int Ordinal, SoqlExpr Expr) : SoqlReadNode(Name);

    /// <summary>A parent object: the ordinal of each possible parent's Id (several for Who/What) and its fields.</summary>
    public sealed record Parent(string Name, IReadOnlyList<(int Ordinal, ObjectMetadata Object)> Ids, IReadOnlyList<SoqlReadNode> Items) : SoqlReadNode(Name);

    /// <summary>A child subquery, filled in after the page of parents is read.</summary>
    public sealed record Children(string Name, SoqlPlan Plan) : SoqlReadNode(Name);
}
