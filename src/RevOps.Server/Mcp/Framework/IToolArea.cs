namespace RevOps.Server.Mcp.Framework;

/// <summary>A CRM area's tools (contacts, accounts, …); the catalog gathers them all.</summary>
public interface IToolArea
{
    IEnumerable<CrmTool> Tools();
}
