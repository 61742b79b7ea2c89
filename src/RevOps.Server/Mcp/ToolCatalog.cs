namespace RevOps.Server.Mcp;

/// <summary>Every tool of every area, in a stable order.</summary>
public sealed class ToolCatalog(IEnumerable<IToolArea> areas)
{
    public IReadOnlyList<CrmTool> Tools { get; } = areas.SelectMany(a => a.Tools()).ToArray();
}
