// The official MCP TypeScript SDK (Client + StreamableHTTPClientTransport) against the real server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';

import { startServer } from './server.mjs';
import { TOOL_NAMES, SEED_TOOL_NAMES } from './tools.mjs';
import { idSuffix, neverExistingIdLike } from './ids.mjs';


const SYSTEM_FIELDS = [
  'Id', 'IsDeleted', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp',
];

const SF_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;


async function connect(mcpUrl, apiKey, name = 'revops-client-tests') {
  const client = new Client({ name, version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
    requestInit: { headers: { Authorization: `Bearer ${apiKey}` } },
  });
  await client.connect(transport);
  return client;
}

/** Calls a tool that must succeed; checks text == structuredContent and returns the record. */
async function ok(client, name, args) {
  const result = await client.callTool({ name, arguments: args });
  const text = result.content?.[0]?.text;
  assert.notEqual(result.isError, true, `${name} failed: ${text}`);
  assert.equal(result.content.length, 1, `${name}: one content block`);
  assert.equal(result.content[0].type, 'text');
  const parsed = JSON.parse(text);
  assert.deepEqual(result.structuredContent, parsed, `${name}: structuredContent equals the parsed text`);
  return parsed;
}

/** Calls a tool that must fail with an isError result; returns its text. */
async function fails(client, name, args) {
  const result = await client.callTool({ name, arguments: args });
  assert.equal(result.isError, true, `${name} should fail but returned ${JSON.stringify(result)}`);
  assert.equal(result.content.length, 1);
  assert.equal(result.content[0].type, 'text');
  return result.content[0].text;
}

/**
 * A record answer leaves the audit fields out (agents pay for every byte); asked for with `fields`,
 * they say the record was written by a key acting as user `userId`, who also owns it.
 */
async function assertSystemFields(client, record, prefix, userId) {
  for (const f of SYSTEM_FIELDS) if (f !== 'Id') assert.equal(f in record, false, `audit field ${f} left out`);
  assert.match(record.Id, new RegExp(`^${prefix}[0-9A-Za-z]{15}$`));
  assert.equal(record.Id.slice(15), idSuffix(record.Id.slice(0, 15)), 'Id has a valid case-safe suffix');
  assert.equal(record.OwnerId, userId);
  const audit = await ok(client, 'get_record', { Id: record.Id, fields: SYSTEM_FIELDS });
  assert.equal(audit.IsDeleted, false);
  assert.equal(audit.CreatedById, userId);
  assert.equal(audit.LastModifiedById, userId);
  assert.match(audit.CreatedDate, SF_TIMESTAMP);
  assert.match(audit.SystemModstamp, SF_TIMESTAMP);
}

describe('official MCP TypeScript SDK client', () => {
  let srv;
  let tenantA;
  let tenantB;
  let a; // Client for tenant A
  let b; // Client for tenant B

  before(async () => {
    srv = await startServer();
    tenantA = await srv.createTenant('Acme', 'professional');
    tenantB = await srv.createTenant('Globex', 'professional');
    a = await connect(srv.mcpUrl, tenantA.api_key, 'sdk-tenant-a');
    b = await connect(srv.mcpUrl, tenantB.api_key, 'sdk-tenant-b');
    // Custom fields are defined before use, as in Salesforce.
    await ok(a, 'define_custom_field', { object: 'Contact', api_name: 'lead_score__c', type: 'Number', precision: 3 });
  });

  after(async () => {
    await a?.close().catch(() => {});
    await b?.close().catch(() => {});
    await srv?.stop();
  });

  it('POST /tenants returns a key for the MCP endpoint', () => {
    assert.match(tenantA.api_key, /^revops_live_/);
    assert.notEqual(tenantA.api_key, tenantB.api_key);
    assert.notEqual(tenantA.tenant_id, tenantB.tenant_id);
    assert.equal(tenantA.mcp_endpoint, srv.mcpUrl);
  });

  it('initializes and reports the server', () => {
    const info = a.getServerVersion();
    assert.equal(info.name, 'revops');
    assert.equal(info.version, '1.0.0');
    assert.ok(a.getServerCapabilities().tools, 'tools capability');
    assert.match(a.getInstructions() ?? '', /^RevOps is a CRM/);
  });

  it('lists every tool (the seed 13 included), with their required arguments', async () => {
    const { tools } = await a.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), TOOL_NAMES);
    for (const name of SEED_TOOL_NAMES) assert.ok(tools.some((t) => t.name === name), name);
    const required = Object.fromEntries(tools.map((t) => [t.name, t.inputSchema.required ?? []]));
    assert.deepEqual(required.create_contact, ['LastName']);
    assert.deepEqual(required.create_account, ['Name']);
    assert.deepEqual(required.create_opportunity.slice().sort(), ['CloseDate', 'Name', 'StageName']);
    assert.deepEqual(required.update_opportunity_stage.slice().sort(), ['Id', 'StageName']);
    assert.deepEqual(required.create_task, ['Subject']);
    assert.deepEqual(required.get_contact, ['Id']);
    for (const t of tools) assert.equal(t.inputSchema.type, 'object', `${t.name} input schema`);
  });

  it('creates an account and a linked contact with a custom field, and reads them back', async () => {
    const account = await ok(a, 'create_account', {
      Name: 'Acme Corp', Industry: 'Technology', AnnualRevenue: 5000000, NumberOfEmployees: 250,
      Website: 'https://acme.example.com',
    });
    await assertSystemFields(a, account, '001', tenantA.user_id);
    assert.equal(account.Name, 'Acme Corp');
    assert.equal(account.Industry, 'Technology');
    assert.equal(account.AnnualRevenue, 5000000);
    assert.equal(account.NumberOfEmployees, 250);
    assert.equal(account.Website, 'https://acme.example.com');

    const created = await ok(a, 'create_contact', {
      FirstName: 'Sarah', LastName: 'Chen', Email: 'sarah.chen@acme.example.com', Phone: '+1 415 555 0100',
      Title: 'VP Engineering', AccountId: account.Id, custom_fields: { lead_score__c: 85 },
    });
    await assertSystemFields(a, created, '003', tenantA.user_id);

    // get_contact: check structuredContent and the text separately, field by field.
    const result = await a.callTool({ name: 'get_contact', arguments: { Id: created.Id } });
    assert.notEqual(result.isError, true, result.content?.[0]?.text);
    const fromText = JSON.parse(result.content[0].text);
    for (const [label, c] of [['structuredContent', result.structuredContent], ['text', fromText]]) {
      assert.equal(c.Id, created.Id, label);
      assert.equal(c.FirstName, 'Sarah', label);
      assert.equal(c.LastName, 'Chen', label);
      assert.equal(c.Name, 'Sarah Chen', label);
      assert.equal(c.Email, 'sarah.chen@acme.example.com', label);
      assert.equal(c.Phone, '+1 415 555 0100', label);
      assert.equal(c.Title, 'VP Engineering', label);
      assert.equal(c.AccountId, account.Id, label);
      assert.equal(c.lead_score__c, 85, label);
      assert.equal(c.CreatedDate, created.CreatedDate, label);
      // Nulls are omitted, not sent as null.
      assert.equal('Department' in c, false, `${label}: unset field omitted`);
      assert.ok(Object.values(c).every((v) => v !== null), `${label}: no null values`);
    }
    assert.deepEqual(result.structuredContent, fromText);
    assert.deepEqual(fromText, created, 'get returns what create returned');
    const by15 = await ok(a, 'get_contact', { Id: created.Id.slice(0, 15) });
    assert.deepEqual(by15, created, 'the 15-character Id finds the same record');

    const gotAccount = await ok(a, 'get_account', { Id: account.Id });
    assert.deepEqual(gotAccount, account);
  });

  it('searches contacts by email (any case), name and account; searches accounts', async () => {
    const account = await ok(a, 'create_account', { Name: 'Initech', Industry: 'Banking' });
    const c1 = await ok(a, 'create_contact', {
      FirstName: 'Peter', LastName: 'Gibbons', Email: 'peter@initech.example.com', AccountId: account.Id,
    });
    const c2 = await ok(a, 'create_contact', {
      FirstName: 'Milton', LastName: 'Waddams', Email: 'milton@initech.example.com', AccountId: account.Id,
    });

    const byEmail = await ok(a, 'search_contacts', { email: 'PETER@Initech.example.com' });
    assert.equal(byEmail.count, 1);
    assert.equal(byEmail.hasMore, false);
    assert.equal(byEmail.records.length, 1);
    assert.equal(byEmail.records[0].Id, c1.Id);
    assert.equal(byEmail.records[0].Email, 'peter@initech.example.com');
    assert.equal(byEmail.records[0].Name, 'Peter Gibbons');

    const byName = await ok(a, 'search_contacts', { name: 'milt' });
    assert.deepEqual(byName.records.map((r) => r.Id), [c2.Id]);

    const byAccount = await ok(a, 'search_contacts', { accountId: account.Id });
    assert.equal(byAccount.count, 2);
    assert.deepEqual(byAccount.records.map((r) => r.Id).sort(), [c1.Id, c2.Id].sort());

    const limited = await ok(a, 'search_contacts', { accountId: account.Id, limit: 1 });
    assert.equal(limited.records.length, 1);
    assert.equal(limited.hasMore, true);

    const none = await ok(a, 'search_contacts', { email: 'nobody@initech.example.com' });
    assert.deepEqual(none, { totalSize: 0, count: 0, hasMore: false, records: [] });

    const accounts = await ok(a, 'search_accounts', { name: 'Initech' });
    assert.equal(accounts.count, 1);
    assert.equal(accounts.records[0].Id, account.Id);
    assert.equal(accounts.records[0].Industry, 'Banking');
  });

  it('updates a contact', async () => {
    const c = await ok(a, 'create_contact', { FirstName: 'Bill', LastName: 'Lumbergh' });
    const updated = await ok(a, 'update_contact', { Id: c.Id, Title: 'Division VP', Department: 'Management' });
    assert.equal(updated.Id, c.Id);
    assert.equal(updated.Title, 'Division VP');
    assert.equal(updated.Department, 'Management');
    assert.equal(updated.Name, 'Bill Lumbergh');
    assert.equal(updated.CreatedDate, c.CreatedDate);
    const got = await ok(a, 'get_contact', { Id: c.Id });
    assert.deepEqual(got, updated);
  });

  it('creates a Closed Won opportunity and moves it to another stage', async () => {
    const account = await ok(a, 'create_account', { Name: 'Umbrella Corp' });
    const won = await ok(a, 'create_opportunity', {
      Name: 'Umbrella - Platform', StageName: 'Closed Won', CloseDate: '2026-12-31', Amount: 120000,
      AccountId: account.Id,
    });
    await assertSystemFields(a, won, '006', tenantA.user_id);
    assert.equal(won.Name, 'Umbrella - Platform');
    assert.equal(won.StageName, 'Closed Won');
    assert.equal(won.CloseDate, '2026-12-31');
    assert.equal(won.Amount, 120000);
    assert.equal(won.AccountId, account.Id);
    assert.equal(won.IsWon, true);
    assert.equal(won.IsClosed, true);
    assert.equal(won.Probability, 100);
    assert.equal(won.ForecastCategoryName, 'Closed');

    const moved = await ok(a, 'update_opportunity_stage', { Id: won.Id, StageName: 'Negotiation/Review' });
    assert.equal(moved.Id, won.Id);
    assert.equal(moved.StageName, 'Negotiation/Review');
    assert.equal(moved.IsWon, false);
    assert.equal(moved.IsClosed, false);
    assert.equal(moved.Probability, 90);
    assert.equal(moved.ForecastCategoryName, 'Pipeline');
    assert.equal(moved.Amount, 120000);

    const got = await ok(a, 'get_opportunity', { Id: won.Id });
    assert.deepEqual(got, moved);

    const lost = await ok(a, 'update_opportunity_stage', { Id: won.Id, StageName: 'Closed Lost' });
    assert.equal(lost.IsClosed, true);
    assert.equal(lost.IsWon, false);
    assert.equal(lost.Probability, 0);

    const byAccount = await ok(a, 'search_opportunities', { accountId: account.Id });
    assert.equal(byAccount.count, 1);
    assert.equal(byAccount.records[0].Id, won.Id);
    assert.equal(byAccount.records[0].StageName, 'Closed Lost');

    const big = await ok(a, 'search_opportunities', { accountId: account.Id, minAmount: 200000 });
    assert.deepEqual(big, { totalSize: 0, count: 0, hasMore: false, records: [] });
  });

  it('creates a task and lists it with get_tasks', async () => {
    const contact = await ok(a, 'create_contact', { FirstName: 'Samir', LastName: 'Nagheenanajar' });
    const account = await ok(a, 'create_account', { Name: 'Chotchkies' });
    const task = await ok(a, 'create_task', {
      Subject: 'Follow-up call', WhoId: contact.Id, WhatId: account.Id, Priority: 'High', ActivityDate: '2026-12-01',
    });
    await assertSystemFields(a, task, '00T', tenantA.user_id);
    assert.equal(task.Subject, 'Follow-up call');
    assert.equal(task.WhoId, contact.Id);
    assert.equal(task.WhatId, account.Id);
    assert.equal(task.Priority, 'High');
    assert.equal(task.ActivityDate, '2026-12-01');
    assert.equal(task.Status, 'Not Started');
    assert.equal(task.IsClosed, false);

    const done = await ok(a, 'create_task', { Subject: 'Send contract', Status: 'Completed' });
    assert.equal(done.Status, 'Completed');
    assert.equal(done.IsClosed, true);

    const open = await ok(a, 'get_tasks', { status: 'Not Started' });
    assert.deepEqual(open.records.map((r) => r.Id), [task.Id]);
    assert.equal(open.count, 1);
    assert.deepEqual(open.records[0], task);

    const completed = await ok(a, 'get_tasks', { status: 'Completed' });
    assert.deepEqual(completed.records.map((r) => r.Id), [done.Id]);

    const all = await ok(a, 'get_tasks', {});
    assert.equal(all.count, 2);
    assert.deepEqual(all.records.map((r) => r.Id).sort(), [task.Id, done.Id].sort());
  });

  it('answers bad input with isError results that name the problem', async () => {
    const missing = await fails(a, 'create_contact', { FirstName: 'NoLastName' });
    assert.match(missing, /^REQUIRED_FIELD_MISSING: /);
    assert.match(missing, /LastName/);

    const malformed = await fails(a, 'get_contact', { Id: 'bogus' });
    assert.match(malformed, /^MALFORMED_ID: /);

    const stage = await fails(a, 'create_opportunity', { Name: 'x', StageName: 'Bogus', CloseDate: '2026-01-01' });
    assert.match(stage, /^INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: /);
    assert.match(stage, /Closed Won/);

    const email = await fails(a, 'create_contact', { LastName: 'X', Email: 'not-an-email' });
    assert.match(email, /^INVALID_FIELD_VALUE: /);

    const limit = await fails(a, 'search_contacts', { limit: 0 });
    assert.equal(limit, 'INVALID_ARGUMENT: limit must be between 1 and 200; 0 was sent.');

    const unknownArg = await fails(a, 'create_contact', { LastName: 'NoLastName', Foo: 'bar' });
    assert.match(unknownArg, /^INVALID_ARGUMENT: create_contact has no argument 'Foo'/);

    const customName = await fails(a, 'create_contact', { LastName: 'NoLastName', custom_fields: { score: 1 } });
    assert.match(customName, /^INVALID_FIELD: /);
    assert.match(customName, /score__c/);

    // Nothing was created by the failed calls.
    const search = await ok(a, 'search_contacts', { name: 'NoLastName' });
    assert.equal(search.count, 0);
  });

  it('rejects an unknown tool with a JSON-RPC error', async () => {
    await assert.rejects(
      a.callTool({ name: 'delete_everything', arguments: {} }),
      (err) => err instanceof McpError && err.code === -32602 && /delete_everything/.test(err.message)
    );
  });

  it('isolates tenants: another tenant\'s Id is indistinguishable from one that never existed', async () => {
    const account = await ok(a, 'create_account', { Name: 'Secret Holdings' });
    const secret = await ok(a, 'create_contact', {
      FirstName: 'Alice', LastName: 'Secret', Email: 'alice.secret@holdings.example.com', AccountId: account.Id,
    });
    const neverId = neverExistingIdLike(secret.Id);
    assert.notEqual(neverId, secret.Id);
    assert.match(neverId, /^003[0-9A-Za-z]{15}$/);

    // Control: tenant A sees its own contact, and the made-up Id is NOT_FOUND for A too.
    assert.equal((await ok(a, 'get_contact', { Id: secret.Id })).Email, 'alice.secret@holdings.example.com');
    const neverForA = await fails(a, 'get_contact', { Id: neverId });
    assert.match(neverForA, /^NOT_FOUND: /);

    const crossTenant = await fails(b, 'get_contact', { Id: secret.Id });
    const neverForB = await fails(b, 'get_contact', { Id: neverId });
    assert.match(crossTenant, /^NOT_FOUND: /);
    assert.equal(crossTenant.split(secret.Id).join('<ID>'), neverForB.split(neverId).join('<ID>'));
    assert.equal(neverForB, neverForA, 'same answer for a never-existing Id in both tenants');
    assert.ok(crossTenant.includes(secret.Id), 'the error names the Id that was sent');

    // Same for the account, and for writes.
    const acctCross = await fails(b, 'get_account', { Id: account.Id });
    const acctNever = await fails(b, 'get_account', { Id: neverExistingIdLike(account.Id) });
    assert.equal(
      acctCross.split(account.Id).join('<ID>'),
      acctNever.split(neverExistingIdLike(account.Id)).join('<ID>')
    );
    const updateCross = await fails(b, 'update_contact', { Id: secret.Id, Title: 'Hijacked' });
    const updateNever = await fails(b, 'update_contact', { Id: neverId, Title: 'Hijacked' });
    assert.match(updateCross, /^NOT_FOUND: /);
    assert.equal(updateCross.split(secret.Id).join('<ID>'), updateNever.split(neverId).join('<ID>'));
    assert.equal('Title' in (await ok(a, 'get_contact', { Id: secret.Id })), false, 'A\'s contact unchanged');

    // Linking to another tenant's account looks like linking to a missing one.
    const linkCross = await fails(b, 'create_contact', { LastName: 'Mole', AccountId: account.Id });
    const linkNever = await fails(b, 'create_contact', { LastName: 'Mole', AccountId: neverExistingIdLike(account.Id) });
    assert.match(linkCross, /^INVALID_CROSS_REFERENCE_KEY: /);
    assert.equal(
      linkCross.split(account.Id).join('<ID>'),
      linkNever.split(neverExistingIdLike(account.Id)).join('<ID>')
    );

    // Searches in B see nothing of A.
    const byEmail = await ok(b, 'search_contacts', { email: 'alice.secret@holdings.example.com' });
    assert.deepEqual(byEmail, { totalSize: 0, count: 0, hasMore: false, records: [] });
    const byAccount = await ok(b, 'search_contacts', { accountId: account.Id });
    assert.equal(byAccount.count, 0);
    const accounts = await ok(b, 'search_accounts', { name: 'Secret' });
    assert.equal(accounts.count, 0);
    const allB = await ok(b, 'search_contacts', {});
    assert.equal(allB.count, 0, 'tenant B has no contacts at all');
  });

  it('works the whole domain through the generic tools: schema, leads, conversion, search, recycle bin', async () => {
    const lead = await ok(a, 'describe_object', { object: 'Lead' });
    assert.ok(lead.fields.some((f) => f.name === 'Company' && f.required));

    await ok(a, 'define_custom_field', { object: 'Lead', api_name: 'Fit_Score__c', type: 'Number', precision: 3 });
    const { tools } = await a.listTools();
    // The TypeScript SDK sees the tenant's custom field as a typed argument of the Contact tools only when defined there.
    assert.equal(tools.find((t) => t.name === 'create_contact').inputSchema.properties.lead_score__c.type, 'number');

    const created = await ok(a, 'create_record', {
      object: 'Lead', fields: { FirstName: 'Nia', LastName: 'Okafor', Company: 'Kestrel Works', Email: 'nia@kestrel.example.com', Fit_Score__c: 88 },
      idempotency_key: 'sdk-lead-1',
    });
    assert.match(created.Id, /^00Q[0-9A-Za-z]{15}$/);
    assert.equal(created.Fit_Score__c, 88);
    const replay = await ok(a, 'create_record', {
      object: 'Lead', fields: { FirstName: 'Nia', LastName: 'Okafor', Company: 'Kestrel Works', Email: 'nia@kestrel.example.com', Fit_Score__c: 88 },
      idempotency_key: 'sdk-lead-1',
    });
    assert.equal(replay.Id, created.Id);
    assert.equal(replay.idempotentReplay, true);

    const found = await ok(a, 'find_records', { object: 'Lead', where: { Fit_Score__c: { gte: 80 } }, fields: ['Name'] });
    assert.deepEqual(found.records, [{ Id: created.Id, Name: 'Nia Okafor' }]);
    const searched = await ok(a, 'search_crm', { text: 'kestrel' });
    assert.equal(searched.records[0].Id, created.Id);

    const converted = await ok(a, 'convert_lead', { LeadId: created.Id, OpportunityName: 'Kestrel pilot' });
    assert.equal(converted.Status, 'Closed - Converted');
    assert.equal(converted.accountName, 'Kestrel Works');
    assert.ok(converted.contactCreated);
    assert.equal(converted.opportunity.Name, 'Kestrel pilot');
    assert.match(await fails(a, 'convert_lead', { LeadId: created.Id }), /^CONVERTED_LEAD: /);

    const deleted = await ok(a, 'delete_record', { Id: converted.accountId });
    assert.deepEqual(deleted.cascade.map((r) => r.Id).sort(), [converted.contactId, converted.opportunityId].sort());
    assert.match(await fails(a, 'get_record', { Id: converted.contactId }), /^ENTITY_IS_DELETED: /);
    const restored = await ok(a, 'restore_record', { Id: converted.accountId });
    assert.equal(restored.cascade.length, 2);
    assert.equal((await ok(a, 'get_record', { Id: converted.contactId })).Email, 'nia@kestrel.example.com');

    // Another tenant sees none of it.
    // Tenant B's search may answer B's own records by meaning, never A's.
    const seenByB = await ok(b, 'search_crm', { text: 'kestrel' });
    assert.equal(typeof seenByB.totalSize, 'number');
    assert.ok(!seenByB.records.some((r) => [created.Id, converted.accountId, converted.contactId].includes(r.Id)));
    assert.match(await fails(b, 'get_record', { Id: converted.accountId }), /^NOT_FOUND: /);
  });

  it('users and owners over MCP: User records, ownerId filters, convert_lead OwnerId, list_changes by actor', async () => {
    // Listing the tools makes the SDK check every later structuredContent against the tool's outputSchema.
    await a.listTools();
    // A second user of tenant A, created by its admin key through /api/users.
    const res = await fetch(`${srv.baseUrl}/api/users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tenantA.api_key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'tom.smykowski@acme.example.com', name: 'Tom Smykowski', department: 'Customer Relations' }),
    });
    const tom = await res.json();
    assert.equal(res.status, 201, JSON.stringify(tom));

    const users = await ok(a, 'find_records', { object: 'User', order_by: 'Name', fields: ['Name', 'Username', 'IsActive'] });
    assert.deepEqual(users.records, [
      { Id: tenantA.user_id, Name: 'Integration User', Username: tenantA.username, IsActive: true },
      { Id: tom.Id, Name: 'Tom Smykowski', Username: 'tom.smykowski@acme.example.com', IsActive: true },
    ]);
    assert.equal((await ok(a, 'get_record', { Id: tom.Id })).Department, 'Customer Relations');
    const soql = await ok(a, 'soql_query', { query: `SELECT Name, Owner.Name FROM Account WHERE OwnerId = '${tenantA.user_id}' ORDER BY Name LIMIT 1` });
    assert.equal(soql.records[0].Owner.Name, 'Integration User');
    assert.match(await fails(a, 'create_record', { object: 'User', fields: { LastName: 'X', Email: 'x@acme.example.com' } }), /^INSUFFICIENT_ACCESS: /);
    assert.equal((await ok(b, 'find_records', { object: 'User' })).totalSize, 1, 'tenant B sees only its own user');

    // convert_lead with OwnerId: every new record is Tom's.
    const lead = await ok(a, 'create_record', { object: 'Lead', fields: { LastName: 'Lumbergh', Company: 'Initech', Email: 'bill@initech.example.com' } });
    const converted = await ok(a, 'convert_lead', { LeadId: lead.Id, OwnerId: tom.Id, OpportunityName: 'Initech TPS' });
    const owners = [(await ok(a, 'get_record', { Id: converted.accountId })).OwnerId, (await ok(a, 'get_record', { Id: converted.contactId })).OwnerId, converted.opportunity.OwnerId];
    assert.deepEqual(owners, [tom.Id, tom.Id, tom.Id]);
    assert.match(await fails(a, 'convert_lead', { LeadId: (await ok(a, 'create_record', { object: 'Lead', fields: { LastName: 'X', Company: 'Y' } })).Id, OwnerId: tenantB.user_id }),
      /^INVALID_CROSS_REFERENCE_KEY: /);

    // ownerId on the search tools: a User Id, or "me" for the caller's user.
    const toms = await ok(a, 'search_accounts', { ownerId: tom.Id, fields: ['Name', 'OwnerId'] });
    assert.deepEqual(toms.records, [{ Id: converted.accountId, Name: 'Initech', OwnerId: tom.Id }]);
    const mine = await ok(a, 'search_accounts', { ownerId: 'me', limit: 200, fields: ['OwnerId'] });
    assert.ok(mine.totalSize > 0);
    assert.ok(mine.records.every((r) => r.OwnerId === tenantA.user_id));
    assert.equal(mine.records.some((r) => r.Id === converted.accountId), false);
    assert.deepEqual((await ok(a, 'search_contacts', { ownerId: tom.Id, fields: ['Name'] })).records, [{ Id: converted.contactId, Name: 'Lumbergh' }]);

    // "What did Tom change?": nothing, since Tom holds no key; the conversion was the Integration User's doing.
    assert.equal((await ok(a, 'list_changes', { actor: 'Tom' })).count, 0);
    const conversion = await ok(a, 'list_changes', { actor: 'Integration User', Id: converted.opportunityId });
    assert.equal(conversion.count, 1);
    const [row] = conversion.changes;
    assert.deepEqual([row.object, row.operation, row.actor, row.keyId, row.channel], ['Opportunity', 'created', { Id: tenantA.user_id, Name: 'Integration User' }, tenantA.api_key_id, 'mcp']);
    assert.deepEqual(row.changes.OwnerId, { before: null, after: tom.Id });
    const history = await ok(a, 'get_record_history', { Id: converted.accountId });
    assert.deepEqual(history.versions.map((v) => [v.operation, v.actor]), [['created', { Id: tenantA.user_id, Name: 'Integration User' }]]);
    assert.match(await fails(a, 'list_changes', { actor: 'Nobody Atall' }), /^NOT_FOUND: no user of this org is called 'Nobody Atall'/);
  });

  it('refuses a client with an unknown API key (401)', async () => {
    const client = new Client({ name: 'bad-key', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(srv.mcpUrl), {
      requestInit: { headers: { Authorization: 'Bearer revops_live_notARealKey000000000000000000000000' } },
    });
    await assert.rejects(client.connect(transport), (err) => err instanceof StreamableHTTPError && err.code === 401);
    await client.close().catch(() => {});
  });
});
