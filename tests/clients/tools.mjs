// The tool catalogue the server must list: the seed's 13 plus the generic tools.
export const SEED_TOOL_NAMES = [
  'create_account', 'create_contact', 'create_opportunity', 'create_task',
  'get_account', 'get_contact', 'get_opportunity', 'get_tasks',
  'search_accounts', 'search_contacts', 'search_opportunities',
  'update_contact', 'update_opportunity_stage',
];

export const TOOL_NAMES = [
  ...SEED_TOOL_NAMES,
  'bulk_write', 'convert_lead', 'create_record', 'define_custom_field', 'delete_record', 'describe_object', 'find_records', 'get_record', 'get_usage',
  'get_record_history', 'list_changes', 'manage_webhooks', 'merge_records', 'pipeline_summary', 'restore_record', 'search_crm', 'soql_query', 'undo_change', 'update_record',
].sort();
