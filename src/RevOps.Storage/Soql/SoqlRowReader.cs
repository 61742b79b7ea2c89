using System.Data.Common;
using RevOps.Domain.Soql;

namespace RevOps.Storage.Soql;

/// <summary>
/// One result row turned into a SOQL row's fields, parents nested, following the plan's
/// <see cref="SoqlReadNode"/>s; each backend reads a single column's value its own way.
/// </summary>
internal static class SoqlRowReader
{
    public static List<KeyValuePair<string, object?>> ReadFields<TReader>(TReader reader, IReadOnlyList<SoqlReadNode> nodes, Func<TReader, int, SoqlExpr, object?> readValue)
        where TReader : DbDataReader
    {
        var fields = new List<KeyValuePair<string, object?>>(nodes.Count);
        foreach (var node in nodes)
        {
            switch (node)
            {
                case SoqlReadNode.Value value:
                    fields.Add(new(value.Name, readValue(reader, value.Ordinal, value.Expr)));
                    break;
                case SoqlReadNode.Parent parent:
                {
                    SoqlRow? row = null;
                    foreach (var (ordinal, obj) in parent.Ids)
                    {
                        if (reader.IsDBNull(ordinal)) continue;
                        row = new SoqlRow(obj.Name, reader.GetString(ordinal), ReadFields(reader, parent.Items, readValue));
                        break;
                    }
                    fields.Add(new(parent.Name, row));
                    break;
                }
                case SoqlReadNode.Children children:
                    fields.Add(new(children.Name, null));
                    break;
            }
        }
        return fields;
    }
}
