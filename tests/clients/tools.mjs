// The tool catalogue the server must list by default: the seed's 13 plus the generic tools
// (get_record_history, restore_record and pipeline_summary stay callable but are listed only with ?toolsets=all;
// manage_webhooks and get_usage only with ?toolsets=admin or all).
export const SEED_TOOL_NAMES = [
  'create_account', 'create_contact', 'create_opportunity', 'create_task',
  'get_account', 'get_contact', 'get_opportunity', 'get_tasks',
  'search_accounts', 'search_contacts', 'search_opportunities',
  'update_contact', 'update_opportunity_stage',
];

export const TOOL_NAMES = [
  ...SEED_TOOL_NAMES,
  'bulk_write', 'convert_lead', 'create_record', 'define_custom_field', 'delete_record', 'describe_object', 'find_records', 'get_record',
  'forecast', 'list_changes', 'manage_automation', 'merge_records', 'search_crm', 'soql_query', 'undo_change', 'update_record', 'work_queue',
].sort();
