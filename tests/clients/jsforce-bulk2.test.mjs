// jsforce 3's Bulk API 2.0 client (conn.bulk2) against the real server, unchanged: loadAndWaitForResults for insert, upsert on
// an External ID field and delete, and bulk2.query over more than one results page (Sforce-Locator paging).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { startServer } from './server.mjs';

for (const name of ['https_proxy', 'http_proxy', 'HTTPS_PROXY', 'HTTP_PROXY']) delete process.env[name];
const { default: jsforce } = await import('jsforce');

const ID18 = (prefix) => new RegExp(`^${prefix}[0-9A-Za-z]{15}$`);

describe('jsforce 3 bulk2 (Bulk API 2.0)', () => {
  let srv;
  let tenant;
  let conn;

  before(async () => {
    srv = await startServer();
    tenant = await srv.createTenant('Bulk', 'professional');
    conn = new jsforce.Connection({ instanceUrl: srv.baseUrl, accessToken: tenant.api_key, version: '60.0' });
    conn.bulk2.pollInterval = 200;
    conn.bulk2.pollTimeout = 120_000;
  });

  after(async () => {
    await srv?.stop();
  });

  async function defineField(args) {
    const client = new Client({ name: 'bulk2-tests-admin', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(srv.mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${tenant.api_key}` } },
    }));
    try {
      const result = await client.callTool({ name: 'define_custom_field', arguments: args });
      assert.notEqual(result.isError, true, result.content?.[0]?.text);
    } finally {
      await client.close();
    }
  }

  it('loadAndWaitForResults inserts Contacts; a malformed row fails on its own and the others land', async () => {
    const input = [
      { FirstName: 'Ada', LastName: 'Bulk', Email: 'ada@bulk.example', Birthdate: '1815-12-10' },
      { FirstName: 'Grace', LastName: 'Bulk', Email: 'grace@bulk.example', Title: null },
      { FirstName: 'Bad', LastName: 'Date', Email: 'bad@bulk.example', Birthdate: 'not a date' },
      { FirstName: 'No', LastName: '', Email: 'nolast@bulk.example' },
    ];
    const res = await conn.bulk2.loadAndWaitForResults({ object: 'Contact', operation: 'insert', input });
    assert.equal(res.successfulResults.length, 2);
    for (const ok of res.successfulResults) {
      assert.match(ok.sf__Id, ID18('003'));
      assert.equal(ok.sf__Created, 'true');
    }
    assert.deepEqual(res.successfulResults.map((r) => r.FirstName).sort(), ['Ada', 'Grace']);
    assert.equal(res.failedResults.length, 2);
    const bad = res.failedResults.find((r) => r.FirstName === 'Bad');
    assert.match(bad.sf__Error, /Birthdate/);
    const nolast = res.failedResults.find((r) => r.FirstName === 'No');
    assert.match(nolast.sf__Error, /REQUIRED_FIELD_MISSING/);
    assert.deepEqual(res.unprocessedRecords, []);
    const ada = await conn.sobject('Contact').retrieve(res.successfulResults.find((r) => r.FirstName === 'Ada').sf__Id);
    assert.equal(ada.Email, 'ada@bulk.example');
    assert.equal(ada.Birthdate, '1815-12-10');
  });

  it('loadAndWaitForResults upserts on an External ID field: new keys create, known keys update, #N/A clears', async () => {
    await defineField({ object: 'Contact', api_name: 'Legacy_Key__c', type: 'Text', external_id: true });
    const first = await conn.bulk2.loadAndWaitForResults({
      object: 'Contact', operation: 'upsert', externalIdFieldName: 'Legacy_Key__c',
      input: [
        { Legacy_Key__c: 'K-1', LastName: 'Upsert One', Title: 'Engineer' },
        { Legacy_Key__c: 'K-2', LastName: 'Upsert Two', Title: 'Manager' },
      ],
    });
    assert.equal(first.failedResults.length, 0, JSON.stringify(first.failedResults));
    assert.deepEqual(first.successfulResults.map((r) => r.sf__Created), ['true', 'true']);
    const second = await conn.bulk2.loadAndWaitForResults({
      object: 'Contact', operation: 'upsert', externalIdFieldName: 'Legacy_Key__c',
      input: [
        { Legacy_Key__c: 'K-1', LastName: 'Upsert One Renamed', Title: null },
        { Legacy_Key__c: 'K-3', LastName: 'Upsert Three', Title: 'Analyst' },
      ],
    });
    assert.equal(second.failedResults.length, 0, JSON.stringify(second.failedResults));
    const byKey = Object.fromEntries(second.successfulResults.map((r) => [r.Legacy_Key__c, r]));
    assert.equal(byKey['K-1'].sf__Created, 'false');
    assert.equal(byKey['K-1'].sf__Id, first.successfulResults.find((r) => r.Legacy_Key__c === 'K-1').sf__Id);
    assert.equal(byKey['K-3'].sf__Created, 'true');
    const one = await conn.sobject('Contact').retrieve(byKey['K-1'].sf__Id);
    assert.equal(one.LastName, 'Upsert One Renamed');
    assert.equal(one.Title, null);
    const count = await conn.query("SELECT COUNT() FROM Contact WHERE Legacy_Key__c != null");
    assert.equal(count.totalSize, 3);
  });

  it('loadAndWaitForResults deletes by Id; an Id that is not a Contact fails on its own', async () => {
    const created = await conn.sobject('Contact').create([{ LastName: 'Del A' }, { LastName: 'Del B' }]);
    const ids = created.map((r) => r.id);
    const res = await conn.bulk2.loadAndWaitForResults({
      object: 'Contact', operation: 'delete',
      input: [{ Id: ids[0] }, { Id: ids[1] }, { Id: '001000000000000AAA' }],
    });
    assert.deepEqual(res.successfulResults.map((r) => r.sf__Id).sort(), [...ids].sort());
    assert.equal(res.failedResults.length, 1);
    assert.match(res.failedResults[0].sf__Error, /MALFORMED_ID/);
    const left = await conn.query(`SELECT Id FROM Contact WHERE Id IN ('${ids[0]}', '${ids[1]}')`);
    assert.equal(left.totalSize, 0);
  });

  it('bulk2.query reads every row across results pages (Sforce-Locator until null)', async () => {
    const input = Array.from({ length: 4500 }, (_, i) => ({ Name: `Paged ${String(i).padStart(5, '0')}`, Industry: i % 2 ? 'Energy' : 'Media' }));
    const load = await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input });
    assert.equal(load.successfulResults.length, 4500);
    assert.equal(load.failedResults.length, 0);
    const records = await (await conn.bulk2.query("SELECT Id, Name, Industry FROM Account WHERE Name LIKE 'Paged %'")).toArray();
    assert.equal(records.length, 4500);
    assert.equal(new Set(records.map((r) => r.Name)).size, 4500);
    const one = records.find((r) => r.Name === 'Paged 00007');
    assert.equal(one.Industry, 'Energy');
    assert.match(one.Id, ID18('001'));
  });
});
