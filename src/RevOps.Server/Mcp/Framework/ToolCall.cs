using RevOps.Domain.Tenancy;

namespace RevOps.Server.Mcp.Framework;

/// <summary>What <see cref="ToolCallPipeline"/> hands a <see cref="CrmTool"/> through the request's items: who calls, with which checked arguments.</summary>
public sealed record ToolCall(Caller Caller, ToolArguments Arguments)
{
    public const string Key = "revops.tool-call";
}
