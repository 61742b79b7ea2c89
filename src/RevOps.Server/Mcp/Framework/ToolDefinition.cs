using System.Text.Json;
using ModelContextProtocol.Protocol;
using RevOps.Domain.Metadata;

namespace RevOps.Server.Mcp.Framework;

/// <summary>Builds a <see cref="CrmTool"/> with truthful annotations from its schema and handler.</summary>
public static class ToolDefinition
{
    public static CrmTool Read(string name, string title, string description, ToolSchema schema, CrmTool.Handler handler) =>
        Make(name, title, description, schema, handler, new ToolAnnotations { ReadOnlyHint = true, OpenWorldHint = false }, writes: false);

    public static CrmTool Create(string name, string title, string description, ToolSchema schema, CrmTool.Handler handler, ObjectMetadata? customFieldsOf = null) =>
        Make(name, title, description, schema, handler,
            new ToolAnnotations { ReadOnlyHint = false, DestructiveHint = false, IdempotentHint = false, OpenWorldHint = false }, writes: true, customFieldsOf);

    /// <summary>Updates overwrite fields (destructive) but the same call twice leaves the same state (idempotent).</summary>
    public static CrmTool Update(string name, string title, string description, ToolSchema schema, CrmTool.Handler handler, ObjectMetadata? customFieldsOf = null) =>
        Make(name, title, description, schema, handler,
            new ToolAnnotations { ReadOnlyHint = false, DestructiveHint = true, IdempotentHint = true, OpenWorldHint = false }, writes: true, customFieldsOf);

    /// <summary>Deletes and restores: destructive, and the same call twice leaves the same state.</summary>
    public static CrmTool Destructive(string name, string title, string description, ToolSchema schema, CrmTool.Handler handler) =>
        Make(name, title, description, schema, handler,
            new ToolAnnotations { ReadOnlyHint = false, DestructiveHint = true, IdempotentHint = true, OpenWorldHint = false }, writes: true);

    /// <summary>
    /// Bulk writes: destructive (they may update and delete), not idempotent, and long-running:
    /// progress notifications when asked for, cancellation between chunks.
    /// </summary>
    public static CrmTool Bulk(string name, string title, string description, ToolSchema schema, CrmTool.LongHandler handler)
    {
        var tool = new Tool
        {
            Name = name,
            Title = title,
            Description = description,
            InputSchema = schema.Build(),
            OutputSchema = OutputSchemas.Object,
            Annotations = new ToolAnnotations { ReadOnlyHint = false, DestructiveHint = true, IdempotentHint = false, OpenWorldHint = false },
        };
        return new CrmTool(tool, handler, writes: true, schema.Names) { LongRunning = true };
    }

    static CrmTool Make(string name, string title, string description, ToolSchema schema, CrmTool.Handler handler, ToolAnnotations annotations, bool writes,
        ObjectMetadata? customFieldsOf = null)
    {
        // The title is the tool's own; annotations.title would repeat it in every agent's tools/list.
        var tool = new Tool
        {
            Name = name,
            Title = title,
            Description = description,
            InputSchema = schema.Build(),
            OutputSchema = OutputSchemas.Object,
            Annotations = annotations,
        };
        return new CrmTool(tool, (caller, args, _, ct) => handler(caller, args, ct), writes, schema.Names) { CustomFieldsOf = customFieldsOf };
    }
}
