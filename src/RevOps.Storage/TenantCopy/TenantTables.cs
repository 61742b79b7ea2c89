namespace RevOps.Storage.TenantCopy;

/// <summary>
/// Every table that holds a tenant's data, in the order a copy writes them: parents before the rows
/// that point at them (api_keys references tenants; Contacts' search entries read their Account's
/// name). The names are constants of the schema, never input, so SQL may name them.
///
/// Left out on purpose: search_doc and SQLite's search_fts, which both backends rebuild from the
/// record tables by trigger as the records are written; schema_migrations and sqlite_stat1, which
/// belong to the database, not to a tenant; console_keys, the console's key ring, which belongs to the server;
/// forecast_models, each tenant's win model, which the forecast trainer builds again from the moved records.
/// </summary>
public static class TenantTables
{
    /// <summary>The tenant row itself: keyed by id, not tenant_id.</summary>
    public const string Tenants = "tenants";

    public const string ChangeLog = "change_log";

    /// <summary>The record tables of the CRM objects, one per standard object (users are counted apart).</summary>
    public static IReadOnlyList<string> Records { get; } = ["account", "contact", "lead", "opportunity", "task", "event"];

    public static IReadOnlyList<string> All { get; } =
    [
        Tenants, "users", "user_access", "user_sign_in", "api_keys", "custom_field_definitions", "custom_object_definitions",
        .. Records,
        "content_document", "content_version", "content_blob", "content_document_link", "custom_object_records",
        ChangeLog, "idempotency_keys", "usage_daily", "usage_latency", "webhooks", "webhook_deliveries", "audit_log", "duplicate_rules",
        "import_jobs", "import_job_rows",
        "automation_rules", "automation_cursors", "automation_runs", "work_items",
        "voice_settings", "voice_calls", "voice_recording_fetches",
    ];

    /// <summary>The column that holds the tenant: the tenants table's own id, tenant_id everywhere else.</summary>
    public static string TenantColumn(string table) => table == Tenants ? "id" : "tenant_id";
}
