using ModelContextProtocol;

namespace RevOps.Server.Mcp.Framework;

/// <summary>
/// Named groups of tools, chosen with ?toolsets=core,records on the MCP URL, so a client with a
/// small tool budget lists only what it needs. A tool may sit in several groups. Without the
/// parameter the default list is every tool but the few another tool fully covers (see
/// <see cref="Covered"/>); ?toolsets=all lists those too. Calling a tool outside the chosen
/// groups still works: the groups shape the list, the key's scopes decide what may run.
/// </summary>
public static class Toolsets
{
    public const string Parameter = "toolsets";

    public static readonly IReadOnlyDictionary<string, string[]> Members = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["core"] =
        [
            "create_contact", "get_contact", "search_contacts", "update_contact", "create_account", "get_account", "search_accounts",
            "create_opportunity", "get_opportunity", "update_opportunity_stage", "search_opportunities", "create_task", "get_tasks",
            "search_crm", "describe_object",
        ],
        ["records"] = ["describe_object", "get_record", "create_record", "update_record", "delete_record", "restore_record", "find_records", "convert_lead", "merge_records", "bulk_write"],
        ["search"] = ["search_crm", "find_records", "soql_query", "describe_object"],
        ["pipeline"] = ["forecast", "pipeline_summary", "search_opportunities", "get_opportunity", "update_opportunity_stage", "soql_query"],
        ["admin"] = ["define_custom_field", "describe_object", "manage_webhooks", "manage_automation", "get_usage"],
        ["changes"] = ["list_changes", "get_record_history", "get_record", "undo_change"],
        ["work"] = ["work_queue", "get_record", "find_records", "update_record", "create_record"],
    };

    /// <summary>
    /// Tools left out of the default list because another listed tool answers the same call: the
    /// default list is what every agent pays for in tokens before its first call.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Covered = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["get_record_history"] = "list_changes with Id",
        ["restore_record"] = "delete_record with restore: true",
        ["pipeline_summary"] = "forecast",
        // Not covered by another tool: left out to make room for manage_automation; ?toolsets=admin or all lists it.
        ["manage_webhooks"] = "?toolsets=admin",
        // Left out to make room for work_queue (issue 23): usage is an admin's question, not an agent's.
        ["get_usage"] = "?toolsets=admin",
    };

    public const string All = "all";

    /// <summary>Whether the parameter's list holds the tool; an unknown group is a JSON-RPC invalid-params error.</summary>
    public static Func<string, bool> Selected(string? parameter)
    {
        if (string.IsNullOrWhiteSpace(parameter)) return tool => !Covered.ContainsKey(tool);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in parameter.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.Equals(group, All, StringComparison.OrdinalIgnoreCase)) return _ => true;
            if (!Members.TryGetValue(group, out var tools))
                throw new McpProtocolException($"toolsets: '{group}' is not a toolset. Use any of {string.Join(", ", Members.Keys)} or all, comma-separated (e.g. /mcp?toolsets=core,records).", McpErrorCode.InvalidParams);
            names.UnionWith(tools);
        }
        return names.Contains;
    }
}
