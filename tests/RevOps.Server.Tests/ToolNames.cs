namespace RevOps.Server.Tests;

/// <summary>The tools the server must list, so tests agree on one catalogue.</summary>
public static class ToolNames
{
    public static readonly string[] Seed =
    [
        "create_account", "create_contact", "create_opportunity", "create_task", "get_account", "get_contact", "get_opportunity", "get_tasks",
        "search_accounts", "search_contacts", "search_opportunities", "update_contact", "update_opportunity_stage",
    ];

    public static readonly string[] Read =
    [
        "describe_object", "find_records", "forecast", "get_account", "get_contact", "get_opportunity", "get_record", "get_tasks",
        "list_changes", "search_accounts", "search_contacts", "search_crm", "search_opportunities", "soql_query",
    ];

    /// <summary>The default tools/list.</summary>
    public static readonly string[] All =
    [
        .. Seed, "bulk_write", "convert_lead", "create_record", "define_custom_field", "delete_record", "describe_object", "find_records", "get_record",
        "forecast", "list_changes", "manage_automation", "merge_records", "search_crm", "soql_query", "undo_change", "update_record", "work_queue",
    ];

    /// <summary>Callable, and listed with ?toolsets=all, but left out of the default list: another tool answers the same call.</summary>
    public static readonly string[] Covered = ["get_record_history", "get_usage", "manage_webhooks", "pipeline_summary", "restore_record"];

    public static string[] Sorted(IEnumerable<string> names) => names.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The agent's budget for the default list (issue 19); it also fits Cursor's 40-tool ceiling.</summary>
    public const int Ceiling = 30;
}
