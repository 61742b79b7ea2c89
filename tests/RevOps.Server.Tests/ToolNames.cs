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
        "describe_object", "find_records", "get_account", "get_contact", "get_opportunity", "get_record", "get_record_history", "get_tasks", "get_usage",
        "list_changes", "pipeline_summary", "search_accounts", "search_contacts", "search_crm", "search_opportunities", "soql_query",
    ];

    public static readonly string[] All =
    [
        .. Seed, "bulk_write", "convert_lead", "create_record", "define_custom_field", "delete_record", "describe_object", "find_records", "get_record", "get_usage",
        "get_record_history", "list_changes", "manage_webhooks", "merge_records", "pipeline_summary", "restore_record", "search_crm", "soql_query", "undo_change", "update_record",
    ];

    public static string[] Sorted(IEnumerable<string> names) => names.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Fits Cursor's 40-tool ceiling with room to spare (the change-feed and webhook tools bring the count past 30).</summary>
    public const int Ceiling = 35;
}
