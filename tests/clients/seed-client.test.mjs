// Emulates the seed's desktop client (mcp-client.js): plain fetch, no initialize, one JSON-RPC
// message per POST with only Authorization and Content-Type headers, then `await response.json()`.
// fetch itself adds `Accept: */*`, which does not ask for text/event-stream, so the server must
// answer with a plain application/json body.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startServer } from './server.mjs';
import { TOOL_NAMES, SEED_TOOL_NAMES } from './tools.mjs';


let nextId = 1;

/** Exactly what the seed client does for one call. */
async function seedCall(mcpUrl, apiKey, method, params) {
  const body = { jsonrpc: '2.0', id: nextId++, method };
  if (params !== undefined) body.params = params;
  const response = await fetch(mcpUrl, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  return { response, json, id: body.id };
}

/** A successful tools/call: returns the record, checking text == structuredContent. */
function record(json) {
  assert.equal(json.error, undefined, `JSON-RPC error: ${JSON.stringify(json.error)}`);
  const { result } = json;
  assert.notEqual(result.isError, true, `tool failed: ${result.content?.[0]?.text}`);
  assert.equal(result.content[0].type, 'text');
  const parsed = JSON.parse(result.content[0].text);
  assert.deepEqual(result.structuredContent, parsed);
  return parsed;
}

describe('seed desktop client (plain fetch + response.json())', () => {
  let srv;
  let tenant;

  before(async () => {
    srv = await startServer();
    tenant = await srv.createTenant('Seed Desktop Co', 'professional');
    const defined = await seedCall(srv.mcpUrl, tenant.api_key, 'tools/call', {
      name: 'define_custom_field', arguments: { object: 'Contact', api_name: 'lead_score__c', type: 'Number' },
    });
    assert.equal(defined.json.result.isError, undefined, JSON.stringify(defined.json));
  });

  after(async () => {
    await srv?.stop();
  });

  it('tools/list without initialize returns a plain JSON body with every tool, the seed 13 included', async () => {
    const { response, json, id } = await seedCall(srv.mcpUrl, tenant.api_key, 'tools/list');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^application\/json\b/);
    assert.equal(json.jsonrpc, '2.0');
    assert.equal(json.id, id);
    assert.equal(json.error, undefined);
    assert.deepEqual(json.result.tools.map((t) => t.name).sort(), TOOL_NAMES);
    for (const name of SEED_TOOL_NAMES) assert.ok(json.result.tools.some((t) => t.name === name), name);
    const createContact = json.result.tools.find((t) => t.name === 'create_contact');
    assert.deepEqual(createContact.inputSchema.required, ['LastName']);
  });

  it('tools/call create_contact then get_contact round-trips exact values', async () => {
    const acct = await seedCall(srv.mcpUrl, tenant.api_key, 'tools/call', {
      name: 'create_account', arguments: { Name: 'Hooli', Industry: 'Technology' },
    });
    assert.equal(acct.response.status, 200);
    const account = record(acct.json);
    assert.match(account.Id, /^001[0-9A-Za-z]{15}$/);

    const created = await seedCall(srv.mcpUrl, tenant.api_key, 'tools/call', {
      name: 'create_contact',
      arguments: {
        FirstName: 'Gavin', LastName: 'Belson', Email: 'gavin@hooli.example.com', Phone: '555-0101',
        AccountId: account.Id, LeadSource: 'Web', custom_fields: { lead_score__c: 42 },
      },
    });
    assert.equal(created.response.status, 200);
    assert.match(created.response.headers.get('content-type'), /^application\/json\b/);
    assert.equal(created.json.id, created.id);
    const contact = record(created.json);
    assert.match(contact.Id, /^003[0-9A-Za-z]{15}$/);
    assert.equal('CreatedById' in contact, false, 'audit fields are left out unless asked for');
    assert.equal(contact.OwnerId, tenant.user_id);

    const got = await seedCall(srv.mcpUrl, tenant.api_key, 'tools/call', {
      name: 'get_contact', arguments: { Id: contact.Id },
    });
    assert.equal(got.response.status, 200);
    const c = record(got.json);
    assert.equal(c.Id, contact.Id);
    assert.equal(c.FirstName, 'Gavin');
    assert.equal(c.LastName, 'Belson');
    assert.equal(c.Name, 'Gavin Belson');
    assert.equal(c.Email, 'gavin@hooli.example.com');
    assert.equal(c.Phone, '555-0101');
    assert.equal(c.AccountId, account.Id);
    assert.equal(c.LeadSource, 'Web');
    assert.equal(c.lead_score__c, 42);
    assert.equal('IsDeleted' in c, false, 'IsDeleted is said only when true');
    assert.deepEqual(c, contact);
  });

  it('a failing tool call is an isError result, not an HTTP error', async () => {
    const { response, json } = await seedCall(srv.mcpUrl, tenant.api_key, 'tools/call', {
      name: 'create_contact', arguments: { FirstName: 'Only' },
    });
    assert.equal(response.status, 200);
    assert.equal(json.result.isError, true);
    assert.match(json.result.content[0].text, /^REQUIRED_FIELD_MISSING: /);
  });

  it('an unknown method is a JSON-RPC error with the request id', async () => {
    const { response, json, id } = await seedCall(srv.mcpUrl, tenant.api_key, 'no/such/method');
    assert.ok(response.status < 500, `status ${response.status}`);
    assert.equal(json.jsonrpc, '2.0');
    assert.equal(json.id, id);
    assert.equal(json.error.code, -32601);
    assert.equal(json.result, undefined);
  });

  it('no Authorization header: 401 with WWW-Authenticate: Bearer', async () => {
    const response = await fetch(srv.mcpUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer\b/);
    const json = await response.json();
    assert.equal(json.error, 'unauthorized');
    assert.equal(json.result, undefined, 'no tools leaked');
  });

  it('an unknown API key: 401 with WWW-Authenticate: Bearer error="invalid_token"', async () => {
    const { response, json } = await seedCall(srv.mcpUrl, 'revops_live_doesNotExist0000000000000000000000', 'tools/list');
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer\b/);
    assert.match(response.headers.get('www-authenticate'), /error="invalid_token"/);
    assert.equal(json.error, 'unauthorized');
    assert.equal(json.result, undefined);
  });

  it('the admin token is not an API key for /mcp', async () => {
    const { response } = await seedCall(srv.mcpUrl, srv.adminToken, 'tools/list');
    assert.equal(response.status, 401);
  });

  it('a malformed JSON body gets JSON-RPC parse error -32700 and a status below 500', async () => {
    const response = await fetch(srv.mcpUrl, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tenant.api_key}`, 'Content-Type': 'application/json' },
      body: '{"jsonrpc":"2.0","id":1,',
    });
    assert.ok(response.status < 500, `status ${response.status}`);
    assert.ok(response.status >= 200, `status ${response.status}`);
    const json = await response.json();
    assert.equal(json.jsonrpc, '2.0');
    assert.equal(json.id, null);
    assert.equal(json.error.code, -32700);
    assert.equal(typeof json.error.message, 'string');
  });
});
