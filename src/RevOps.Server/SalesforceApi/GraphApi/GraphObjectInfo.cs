using GraphQL;
using GraphQL.Types;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;
using RevOps.Domain.Soql;
using RevOps.Server.Json;
using static RevOps.Server.SalesforceApi.GraphApi.GraphSharedTypes;

using FieldType = RevOps.Domain.Metadata.FieldType;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>uiapi { objectInfos(apiNames: [...]) }: each object's labels, fields (standard and custom) and child relationships.</summary>
public static class GraphObjectInfo
{
    sealed record Info(ObjectSchema Schema, SoqlRelationships.Child[] Children);

    public static ObjectGraphType Type()
    {
        var reference = new ObjectGraphType { Name = "ReferenceToInfo" };
        Add(reference, "ApiName", new NonNullGraphType(new StringGraphType()), c => c.Source as string);

        var field = new ObjectGraphType { Name = "Field" };
        Add(field, "ApiName", new NonNullGraphType(new StringGraphType()), c => F(c).Name);
        Add(field, "label", new StringGraphType(), c => F(c).Label);
        Add(field, "dataType", new StringGraphType(), c => DescribeJson.TypeName(F(c).Type));
        Add(field, "required", new NonNullGraphType(new BooleanGraphType()), c => F(c).Required);
        Add(field, "createable", new NonNullGraphType(new BooleanGraphType()), c => F(c).Createable && !F(c).System);
        Add(field, "updateable", new NonNullGraphType(new BooleanGraphType()), c => F(c).Updateable && !F(c).System);
        Add(field, "filterable", new NonNullGraphType(new BooleanGraphType()), c => F(c).Filterable);
        Add(field, "sortable", new NonNullGraphType(new BooleanGraphType()), c => F(c).Sortable);
        Add(field, "custom", new NonNullGraphType(new BooleanGraphType()), c => F(c).Custom);
        Add(field, "length", new IntGraphType(), c => F(c).Length);
        Add(field, "relationshipName", new StringGraphType(), c =>
            F(c) is { Type: FieldType.Reference } lookup && (lookup.IsCustomReference || lookup.Name.EndsWith("Id", StringComparison.Ordinal)) ? SoqlRelationships.NameOf(lookup) : null);
        Add(field, "referenceToInfos", new ListGraphType(new NonNullGraphType(reference)), c => F(c).ReferenceTo);

        var child = new ObjectGraphType { Name = "ChildRelationship" };
        Add(child, "childObjectApiName", new NonNullGraphType(new StringGraphType()), c => ((SoqlRelationships.Child)c.Source!).Object.Name);
        Add(child, "fieldName", new NonNullGraphType(new StringGraphType()), c => ((SoqlRelationships.Child)c.Source!).ForeignKey.Name);
        Add(child, "relationshipName", new NonNullGraphType(new StringGraphType()), c => ((SoqlRelationships.Child)c.Source!).Name);

        var info = new ObjectGraphType { Name = "ObjectInfo" };
        Add(info, "ApiName", new NonNullGraphType(new StringGraphType()), c => O(c).Name);
        Add(info, "label", new StringGraphType(), c => O(c).Label ?? O(c).Name);
        Add(info, "labelPlural", new StringGraphType(), c => O(c).Plural);
        Add(info, "keyPrefix", new StringGraphType(), c => O(c).KeyPrefix);
        Add(info, "createable", new NonNullGraphType(new BooleanGraphType()), c => O(c).Writable);
        Add(info, "updateable", new NonNullGraphType(new BooleanGraphType()), c => O(c).Writable);
        Add(info, "deletable", new NonNullGraphType(new BooleanGraphType()), c => O(c).Writable);
        Add(info, "queryable", new NonNullGraphType(new BooleanGraphType()), _ => true);
        Add(info, "fields", new NonNullGraphType(new ListGraphType(new NonNullGraphType(field))), c => ((Info)c.Source!).Schema.AllFields.ToArray());
        Add(info, "childRelationships", new NonNullGraphType(new ListGraphType(new NonNullGraphType(child))), c =>
            ((Info)c.Source!).Children);
        return info;
    }

    public static object? Resolve(IResolveFieldContext context)
    {
        var request = GraphRequest.Of(context);
        var infos = new List<Info>();
        foreach (string name in context.GetArgument<List<string>>("apiNames"))
        {
            if (request.Schema.TryGetObject(name, out var obj)) infos.Add(new Info(request.Schema.For(obj), [.. request.Schema.ChildrenOf(obj)]));
            else GraphErrors.Report(context, new CrmError(ErrorCodes.InvalidType,
                $"'{name}' is not an object. Objects: {string.Join(", ", request.Schema.Objects.Select(o => o.Name))}."));
        }
        return infos;
    }

    static FieldMetadata F(IResolveFieldContext c) => (FieldMetadata)c.Source!;

    static ObjectMetadata O(IResolveFieldContext c) => ((Info)c.Source!).Schema.Object;
}
