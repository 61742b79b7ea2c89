using RevOps.Domain;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Rules;

namespace RevOps.Server.Mcp.Framework;

/// <summary>The `object` argument of the generic tools: an object name, or (when left out) the object an Id belongs to.</summary>
public static class ObjectArgument
{
    public const string Name = "object";
    static readonly string Names = string.Join(", ", StandardObjects.All.Select(o => o.Name));

    /// <summary>
    /// The names the schema lists: the file objects only where a tool names them (<c>files</c>), since every name is
    /// paid for by every agent in every tools/list; any object's name is accepted regardless.
    /// </summary>
    static readonly string[] Listed = StandardObjects.All.Except(StandardObjects.Files).Select(o => o.Name).ToArray();

    /// <param name="extra">What to say beyond the allowed names, e.g. that the Id's prefix decides when it is left out.</param>
    /// <param name="files">File objects this tool's schema lists besides the CRM objects.</param>
    public static ToolSchema ObjectParam(this ToolSchema schema, bool required, string? extra = null, params ObjectMetadata[] files) =>
        schema.Param(Name, "string", extra?.Trim(), required: required, allowed: [.. Listed, .. files.Select(o => o.Name)]);

    /// <summary>The object, a custom one of the caller's tenant included (Invoice__c, or an a00… Id).</summary>
    public static CrmResult<ObjectMetadata> Read(ToolArguments args, Domain.Schema.TenantSchema schema, string? id = null)
    {
        var name = args.String(Name);
        if (!name.IsOk) return name.Error;
        if (string.IsNullOrWhiteSpace(name.Value) && id is not null) return RecordService.ObjectOfId(id, schema);
        if (!string.IsNullOrWhiteSpace(name.Value) && schema.TryGetObject(name.Value.Trim(), out var obj)) return obj;
        var standard = Read(args, id);
        if (standard.IsOk || schema.CustomObjects.Count == 0 || string.IsNullOrWhiteSpace(name.Value)) return standard;
        string? guess = Suggestions.ClosestObject(name.Value, schema.Objects.Select(o => o.Name));
        return new CrmError(ErrorCodes.InvalidArgument,
            $"'{name.Value}' is not an object.{(guess is null ? "" : $" Did you mean '{guess}'?")} Send one of: {string.Join(", ", schema.Objects.Select(o => o.Name))}.", Name);
    }

    public static CrmResult<ObjectMetadata> Read(ToolArguments args, string? id = null)
    {
        var name = args.String(Name);
        if (!name.IsOk) return name.Error;
        if (string.IsNullOrWhiteSpace(name.Value))
        {
            if (id is not null) return RecordService.ObjectOfId(id);
            return new CrmError(ErrorCodes.RequiredFieldMissing, $"object is required. Send one of: {Names}.", Name);
        }
        if (StandardObjects.TryGet(name.Value.Trim(), out var obj)) return obj;
        string? guess = Suggestions.ClosestObject(name.Value, StandardObjects.All.Select(o => o.Name));
        return new CrmError(ErrorCodes.InvalidArgument, $"'{name.Value}' is not an object.{(guess is null ? "" : $" Did you mean '{guess}'?")} Send one of: {Names}.", Name);
    }
}
