// jsforce 3 (the Salesforce client most Node apps use) against the real server's Salesforce-compatible REST API,
// used the way an app written for Salesforce uses it: Connection({ instanceUrl, accessToken, version }), no login call.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { startServer } from './server.mjs';
import { idSuffix, neverExistingIdLike } from './ids.mjs';

// jsforce sends every request through http(s)_proxy when one is set (it has no NO_PROXY support);
// these tests talk to loopback, so drop them before jsforce reads them at load time.
for (const name of ['https_proxy', 'http_proxy', 'HTTPS_PROXY', 'HTTP_PROXY']) delete process.env[name];
const { default: jsforce } = await import('jsforce');

const ID18 = (prefix) => new RegExp(`^${prefix}[0-9A-Za-z]{15}$`);
const SF_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;
const REPLICATION_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/;
const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};
const CONTACT_LASTNAME_MISSING = {
  statusCode: 'REQUIRED_FIELD_MISSING',
  message: "Contact.LastName is required. Send a value for 'LastName'.",
  fields: ['LastName'],
};

const ACCOUNT_FIELDS = [
  'Id', 'IsDeleted', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp', 'OwnerId',
  'Name', 'AccountNumber', 'Type', 'Industry', 'Rating', 'AnnualRevenue', 'NumberOfEmployees', 'ParentId', 'Website',
  'Phone', 'Fax', 'BillingStreet', 'BillingCity', 'BillingState', 'BillingPostalCode', 'BillingCountry',
  'ShippingStreet', 'ShippingCity', 'ShippingState', 'ShippingPostalCode', 'ShippingCountry', 'Description',
  'AccountSource', 'Site', 'TickerSymbol', 'Ownership', 'Sic', 'YearStarted',
];
const CONTACT_FIELDS = [
  'Id', 'IsDeleted', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp', 'OwnerId',
  'Salutation', 'FirstName', 'LastName', 'Name', 'Email', 'Phone', 'MobilePhone', 'HomePhone', 'Fax', 'AccountId',
  'ReportsToId', 'Title', 'Department', 'Birthdate', 'LeadSource', 'HasOptedOutOfEmail', 'DoNotCall',
  'MailingStreet', 'MailingCity', 'MailingState', 'MailingPostalCode', 'MailingCountry', 'Description',
  'OtherPhone', 'AssistantName', 'AssistantPhone',
];


function assertSaveResult(result, prefix) {
  assert.deepEqual(Object.keys(result), ['id', 'success', 'errors']);
  assert.match(result.id, ID18(prefix));
  assert.equal(result.id.slice(15), idSuffix(result.id.slice(0, 15)), 'Id has a valid case-safe suffix');
  assert.equal(result.success, true);
  assert.deepEqual(result.errors, []);
}

/** Runs fn, which must reject with a jsforce HttpApiError; returns the error. */
async function rejects(fn, errorCode) {
  let error;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected ${errorCode}, but the call succeeded`);
  assert.equal(error.errorCode, errorCode, `${error.errorCode}: ${error.message}`);
  assert.equal(error.name, errorCode);
  return error;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('jsforce 3 against the Salesforce-compatible REST API', () => {
  let srv;
  let acme; // tenant used by most tests
  let conn; // jsforce Connection for acme at v60.0

  /** A fresh tenant and a v60.0 Connection for it, for tests that count what a tenant holds. */
  async function freshTenant(name) {
    const tenant = await srv.createTenant(name, 'professional');
    return { tenant, conn: new jsforce.Connection({ instanceUrl: srv.baseUrl, accessToken: tenant.api_key, version: '60.0' }) };
  }

  /** define_custom_field over MCP, as an admin would before an app upserts on the field. */
  async function defineField(apiKey, args) {
    const client = new Client({ name: 'jsforce-tests-admin', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(srv.mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${apiKey}` } },
    }));
    try {
      const result = await client.callTool({ name: 'define_custom_field', arguments: args });
      assert.notEqual(result.isError, true, result.content?.[0]?.text);
      return result.structuredContent;
    } finally {
      await client.close();
    }
  }

  before(async () => {
    srv = await startServer();
    acme = await srv.createTenant('Acme', 'professional');
    conn = new jsforce.Connection({ instanceUrl: srv.baseUrl, accessToken: acme.api_key, version: '60.0' });
  });

  after(async () => {
    await srv?.stop();
  });

  it('describeGlobal lists the six objects and User with their global describe entries', async () => {
    const global = await conn.describeGlobal();
    assert.deepEqual(Object.keys(global), ['encoding', 'maxBatchSize', 'sobjects']);
    assert.equal(global.encoding, 'UTF-8');
    assert.equal(global.maxBatchSize, 200);
    assert.deepEqual(global.sobjects.map((s) => s.name), ['Account', 'Contact', 'Lead', 'Opportunity', 'Task', 'Event', 'User', 'ContentVersion', 'ContentDocument', 'ContentDocumentLink']);
    assert.deepEqual(global.sobjects.map((s) => s.keyPrefix), ['001', '003', '00Q', '006', '00T', '00U', '005', '068', '069', '06A']);
    assert.deepEqual(global.sobjects[3], {
      activateable: false, createable: true, custom: false, customSetting: false, deletable: true,
      deprecatedAndHidden: false, feedEnabled: false, hasSubtypes: false, isSubtype: false, keyPrefix: '006',
      label: 'Opportunity', labelPlural: 'Opportunities', layoutable: true, mergeable: false, mruEnabled: true,
      name: 'Opportunity', queryable: true, replicateable: true, retrieveable: true, searchable: true,
      triggerable: true, undeletable: true, updateable: true,
      urls: {
        sobject: '/services/data/v60.0/sobjects/Opportunity',
        describe: '/services/data/v60.0/sobjects/Opportunity/describe',
        rowTemplate: '/services/data/v60.0/sobjects/Opportunity/{ID}',
      },
    });
    // User is read-only through the record channels (admins manage users with /api/users or `revops user`).
    const user = global.sobjects[6];
    assert.deepEqual(
      [user.label, user.labelPlural, user.createable, user.updateable, user.deletable, user.undeletable, user.queryable, user.retrieveable],
      ['User', 'Users', false, false, false, false, true, true]);
    for (const entry of global.sobjects) assert.equal('fields' in entry, false, `${entry.name}: no fields in describeGlobal`);
  });

  it('describe(Account) gives fields, picklist values, references and child relationships', async () => {
    const account = await conn.describe('Account');
    assert.equal(account.name, 'Account');
    assert.equal(account.keyPrefix, '001');
    assert.deepEqual(account.recordTypeInfos, []);
    assert.deepEqual(account.fields.map((f) => f.name), ACCOUNT_FIELDS);

    const name = account.fields.find((f) => f.name === 'Name');
    assert.equal(name.type, 'string');
    assert.equal(name.soapType, 'xsd:string');
    assert.equal(name.length, 255);
    assert.equal(name.nillable, false);
    assert.equal(name.nameField, true);
    assert.deepEqual(name.referenceTo, []);
    assert.equal(name.relationshipName, null);
    assert.deepEqual(name.picklistValues, []);

    const type = account.fields.find((f) => f.name === 'Type');
    assert.equal(type.type, 'picklist');
    assert.equal(type.restrictedPicklist, true);
    assert.deepEqual(type.picklistValues, [
      'Prospect', 'Customer - Direct', 'Customer - Channel', 'Channel Partner / Reseller',
      'Installation Partner', 'Technology Partner', 'Other',
    ].map((value) => ({ active: true, defaultValue: false, label: value, validFor: null, value })));

    const parent = account.fields.find((f) => f.name === 'ParentId');
    assert.equal(parent.type, 'reference');
    assert.equal(parent.soapType, 'tns:ID');
    assert.deepEqual(parent.referenceTo, ['Account']);
    assert.equal(parent.relationshipName, 'Parent');
    assert.equal(parent.nillable, true);

    // The owner and the audit lookups point at User; OwnerId defaults to the caller and is never empty.
    const owner = account.fields.find((f) => f.name === 'OwnerId');
    assert.deepEqual(
      [owner.type, owner.referenceTo, owner.relationshipName, owner.createable, owner.updateable, owner.nillable, owner.defaultedOnCreate],
      ['reference', ['User'], 'Owner', true, true, false, true]);
    for (const [name, relationship] of [['CreatedById', 'CreatedBy'], ['LastModifiedById', 'LastModifiedBy']]) {
      const audit = account.fields.find((f) => f.name === name);
      assert.deepEqual([audit.referenceTo, audit.relationshipName, audit.createable, audit.updateable], [['User'], relationship, false, false]);
    }

    const id = account.fields.find((f) => f.name === 'Id');
    assert.equal(id.type, 'id');
    assert.equal(id.createable, false);
    assert.equal(id.idLookup, true);

    const revenue = account.fields.find((f) => f.name === 'AnnualRevenue');
    assert.equal(revenue.type, 'currency');
    assert.equal(revenue.soapType, 'xsd:double');
    assert.equal(revenue.precision, 18);
    assert.equal(revenue.scale, 0);

    assert.deepEqual(account.childRelationships, [
      { cascadeDelete: false, childSObject: 'Account', deprecatedAndHidden: false, field: 'ParentId', relationshipName: 'ChildAccounts', restrictedDelete: false },
      { cascadeDelete: true, childSObject: 'Contact', deprecatedAndHidden: false, field: 'AccountId', relationshipName: 'Contacts', restrictedDelete: false },
      { cascadeDelete: true, childSObject: 'Opportunity', deprecatedAndHidden: false, field: 'AccountId', relationshipName: 'Opportunities', restrictedDelete: false },
      { cascadeDelete: true, childSObject: 'Task', deprecatedAndHidden: false, field: 'WhatId', relationshipName: 'Tasks', restrictedDelete: false },
      { cascadeDelete: true, childSObject: 'Event', deprecatedAndHidden: false, field: 'WhatId', relationshipName: 'Events', restrictedDelete: false },
    ]);

    // Polymorphic lookups list every target.
    const task = await conn.sobject('Task').describe();
    const who = task.fields.find((f) => f.name === 'WhoId');
    assert.deepEqual(who.referenceTo, ['Contact', 'Lead']);
    assert.equal(who.relationshipName, 'Who');
    const what = task.fields.find((f) => f.name === 'WhatId');
    assert.deepEqual(what.referenceTo, ['Account', 'Opportunity']);
    assert.equal(what.relationshipName, 'What');
  });

  it('creates, retrieves (all fields and a field list), updates and destroys one Contact', async () => {
    const contacts = conn.sobject('Contact');
    const created = await contacts.create({ FirstName: 'Grace', LastName: 'Hopper', Email: 'grace@navy.example.com', Birthdate: '1906-12-09' });
    assertSaveResult(created, '003');

    const record = await contacts.retrieve(created.id);
    assert.deepEqual(Object.keys(record), ['attributes', ...CONTACT_FIELDS]);
    assert.deepEqual(record.attributes, { type: 'Contact', url: `/services/data/v60.0/sobjects/Contact/${created.id}` });
    assert.equal(record.Id, created.id);
    assert.equal(record.FirstName, 'Grace');
    assert.equal(record.LastName, 'Hopper');
    assert.equal(record.Name, 'Grace Hopper');
    assert.equal(record.Email, 'grace@navy.example.com');
    assert.equal(record.Birthdate, '1906-12-09');
    assert.equal(record.Title, null);
    assert.equal(record.AccountId, null);
    assert.equal(record.IsDeleted, false);
    assert.equal(record.DoNotCall, false);
    assert.equal(record.CreatedById, acme.user_id);
    assert.equal(record.OwnerId, acme.user_id);
    assert.match(record.CreatedDate, SF_TIMESTAMP);

    const some = await contacts.retrieve(created.id, { fields: ['LastName', 'Email'] });
    assert.deepEqual(some, {
      attributes: { type: 'Contact', url: `/services/data/v60.0/sobjects/Contact/${created.id}` },
      Id: created.id, LastName: 'Hopper', Email: 'grace@navy.example.com',
    });

    const updated = await contacts.update({ Id: created.id, Title: 'Rear Admiral', FirstName: 'Amazing Grace' });
    assert.deepEqual(updated, { id: created.id, success: true, errors: [] });
    const after = await contacts.retrieve(created.id, { fields: ['Title', 'Name', 'FirstName'] });
    assert.equal(after.Title, 'Rear Admiral');
    assert.equal(after.FirstName, 'Amazing Grace');
    assert.equal(after.Name, 'Amazing Grace Hopper');

    // The 15-character form finds the same record.
    const by15 = await contacts.retrieve(created.id.slice(0, 15), { fields: ['LastName'] });
    assert.equal(by15.Id, created.id);

    const destroyed = await contacts.destroy(created.id);
    assert.deepEqual(destroyed, { id: created.id, success: true, errors: [] });
    await rejects(() => contacts.retrieve(created.id), 'NOT_FOUND');
  });

  it('creates an Event the classic way (ActivityDateTime + DurationInMinutes) and reads StartDateTime/EndDateTime', async () => {
    const events = conn.sobject('Event');
    const created = await events.create({ Subject: 'Demo', ActivityDateTime: '2026-12-02T15:00:00.000+0000', DurationInMinutes: 45 });
    assertSaveResult(created, '00U');
    const record = await events.retrieve(created.id);
    assert.equal(record.StartDateTime, '2026-12-02T15:00:00.000+0000');
    assert.equal(record.EndDateTime, '2026-12-02T15:45:00.000+0000');
    assert.equal(record.ActivityDateTime, '2026-12-02T15:00:00.000+0000');
    assert.equal(record.DurationInMinutes, 45);
    assert.equal(record.ActivityDate, '2026-12-02');
    assert.equal(record.OwnerId, acme.user_id);

    // A longer meeting: the end follows the duration.
    await events.update({ Id: created.id, DurationInMinutes: 90 });
    assert.equal((await events.retrieve(created.id, { fields: ['EndDateTime'] })).EndDateTime, '2026-12-02T16:30:00.000+0000');

    // A task on an opportunity carries the opportunity's account, readable through the Account relationship.
    const account = await conn.sobject('Account').create({ Name: 'Classic Events Ltd' });
    const deal = await conn.sobject('Opportunity').create({ Name: 'Classic deal', StageName: 'Prospecting', CloseDate: '2030-01-31', AccountId: account.id });
    const task = await conn.sobject('Task').create({ Subject: 'Follow up', WhatId: deal.id });
    const tasks = await conn.query(`SELECT Id, AccountId, Account.Name, IsClosed, TaskSubtype FROM Task WHERE Id = '${task.id}'`);
    assert.equal(tasks.records[0].AccountId, account.id);
    assert.equal(tasks.records[0].Account.Name, 'Classic Events Ltd');
    assert.equal(tasks.records[0].IsClosed, false);
    assert.equal(tasks.records[0].TaskSubtype, 'Task');

    await events.destroy(created.id);
    await conn.sobject('Task').destroy(task.id);
    await conn.sobject('Opportunity').destroy(deal.id);
    await conn.sobject('Account').destroy(account.id);
  });

  it('array create, retrieve, update and destroy go through /composite/sobjects', async () => {
    const contacts = conn.sobject('Contact');
    const created = await contacts.create([
      { LastName: 'Lovelace', FirstName: 'Ada' },
      { LastName: 'Babbage', FirstName: 'Charles' },
      { LastName: 'Turing', FirstName: 'Alan', Email: 'alan@bletchley.example.com' },
    ]);
    assert.equal(created.length, 3);
    for (const result of created) assertSaveResult(result, '003');
    const ids = created.map((r) => r.id);
    assert.equal(new Set(ids).size, 3);

    // With a field list: records in Id order.
    const picked = await contacts.retrieve([ids[2], ids[0]], { fields: ['LastName', 'Email'] });
    assert.deepEqual(picked, [
      { attributes: { type: 'Contact', url: `/services/data/v60.0/sobjects/Contact/${ids[2]}` }, Id: ids[2], LastName: 'Turing', Email: 'alan@bletchley.example.com' },
      { attributes: { type: 'Contact', url: `/services/data/v60.0/sobjects/Contact/${ids[0]}` }, Id: ids[0], LastName: 'Lovelace', Email: null },
    ]);
    // Without one, jsforce describes Contact and asks for every field.
    const full = await contacts.retrieve(ids);
    assert.deepEqual(full.map((r) => Object.keys(r)), ids.map(() => ['attributes', ...CONTACT_FIELDS]));
    assert.deepEqual(full.map((r) => r.Name), ['Ada Lovelace', 'Charles Babbage', 'Alan Turing']);

    const updated = await contacts.update([
      { Id: ids[0], Title: 'Analyst' },
      { Id: ids[1], Title: 'Engineer' },
    ]);
    assert.deepEqual(updated, [
      { id: ids[0], success: true, errors: [] },
      { id: ids[1], success: true, errors: [] },
    ]);
    const titles = await contacts.retrieve(ids, { fields: ['Title'] });
    assert.deepEqual(titles.map((r) => r.Title), ['Analyst', 'Engineer', null]);

    const destroyed = await contacts.destroy([ids[0], ids[1]]);
    assert.deepEqual(destroyed, [
      { id: ids[0], success: true, errors: [] },
      { id: ids[1], success: true, errors: [] },
    ]);
    // Missing or deleted Ids come back as null, in place.
    const afterDelete = await contacts.retrieve([ids[0], ids[2], ids[1]], { fields: ['LastName'] });
    assert.equal(afterDelete[0], null);
    assert.equal(afterDelete[1].LastName, 'Turing');
    assert.equal(afterDelete[2], null);
  });

  it('allOrNone: one bad record rolls back the whole collection; without it the good ones commit', async () => {
    const { conn: c } = await freshTenant('AllOrNone Inc');
    const contacts = c.sobject('Contact');

    const rolledBack = await contacts.create([{ LastName: 'Kept?' }, { FirstName: 'NoLastName' }], { allOrNone: true });
    assert.deepEqual(rolledBack, [
      { success: false, errors: [ROLLED_BACK] },
      { success: false, errors: [CONTACT_LASTNAME_MISSING] },
    ]);
    assert.deepEqual(await contacts.recent(), [], 'nothing was committed');

    const partial = await contacts.create([{ LastName: 'Kept' }, { FirstName: 'NoLastName' }]);
    assertSaveResult(partial[0], '003');
    assert.deepEqual(partial[1], { success: false, errors: [CONTACT_LASTNAME_MISSING] });
    const kept = partial[0].id;
    assert.deepEqual((await contacts.recent()).map((r) => r.Id), [kept]);

    // Update: a deleted record in the batch rolls back the change to the live one.
    const [gone] = await contacts.create([{ LastName: 'Gone' }]);
    await contacts.destroy(gone.id);
    const updates = await contacts.update([{ Id: kept, Title: 'Changed' }, { Id: gone.id, Title: 'Changed' }], { allOrNone: true });
    assert.equal(updates.length, 2);
    assert.deepEqual(updates[0].errors, [ROLLED_BACK]);
    assert.equal(updates[0].success, false);
    assert.equal(updates[1].success, false);
    assert.equal(updates[1].errors.length, 1);
    assert.equal(updates[1].errors[0].statusCode, 'ENTITY_IS_DELETED');
    assert.equal((await contacts.retrieve(kept, { fields: ['Title'] })).Title, null, 'the live record kept its value');

    // Destroy: same, the live record survives.
    const deletes = await contacts.destroy([kept, gone.id], { allOrNone: true });
    assert.deepEqual(deletes[0], { success: false, errors: [ROLLED_BACK] });
    assert.equal(deletes[1].success, false);
    assert.equal(deletes[1].errors[0].statusCode, 'ENTITY_IS_DELETED');
    assert.equal((await contacts.retrieve(kept, { fields: ['LastName'] })).LastName, 'Kept');
  });

  it('upserts by an External ID custom field: created, then matched; several matches give MULTIPLE_CHOICES', async () => {
    const { tenant, conn: c } = await freshTenant('Upsert Ltd');
    const unique = await defineField(tenant.api_key, { object: 'Account', api_name: 'Ext_Key__c', type: 'Text', external_id: true, unique: true });
    assert.equal(unique.field.externalId, true);
    assert.equal(unique.field.unique, true);
    await defineField(tenant.api_key, { object: 'Account', api_name: 'Legacy_Code__c', type: 'Text', external_id: true });
    const accounts = c.sobject('Account');

    const ext = (await accounts.describe()).fields.find((f) => f.name === 'Ext_Key__c');
    assert.equal(ext.externalId, true);
    assert.equal(ext.unique, true);
    assert.equal(ext.idLookup, true);
    assert.equal(ext.custom, true);

    const first = await accounts.upsert({ Ext_Key__c: 'ERP-1', Name: 'Initech' }, 'Ext_Key__c');
    assert.deepEqual(Object.keys(first), ['id', 'success', 'errors', 'created']);
    assert.match(first.id, ID18('001'));
    assert.equal(first.success, true);
    assert.equal(first.created, true);

    const second = await accounts.upsert({ Ext_Key__c: 'ERP-1', Name: 'Initech Corp', Industry: 'Technology' }, 'Ext_Key__c');
    assert.deepEqual(second, { id: first.id, success: true, errors: [], created: false });
    const record = await accounts.retrieve(first.id, { fields: ['Name', 'Industry', 'Ext_Key__c'] });
    assert.equal(record.Name, 'Initech Corp');
    assert.equal(record.Industry, 'Technology');
    assert.equal(record.Ext_Key__c, 'ERP-1');

    // Get by external id (simple-salesforce get_by_custom_id), through jsforce's raw request.
    const byExt = await c.request('/sobjects/Account/Ext_Key__c/ERP-1');
    assert.equal(byExt.Id, first.id);
    assert.equal(byExt.Name, 'Initech Corp');

    // Arrays use the collection upsert.
    const many = await accounts.upsert([
      { Ext_Key__c: 'ERP-1', Name: 'Initech Again' },
      { Ext_Key__c: 'ERP-2', Name: 'Globex' },
    ], 'Ext_Key__c');
    assert.equal(many.length, 2);
    assert.deepEqual(many[0], { id: first.id, success: true, errors: [], created: false });
    assert.match(many[1].id, ID18('001'));
    assert.deepEqual({ ...many[1], id: undefined }, { id: undefined, success: true, errors: [], created: true });

    // Two records share a value of the non-unique external id: the upsert is ambiguous.
    const dupes = await accounts.create([{ Name: 'Dup One', Legacy_Code__c: 'L-7' }, { Name: 'Dup Two', Legacy_Code__c: 'L-7' }]);
    const error = await rejects(() => accounts.upsert({ Legacy_Code__c: 'L-7', Name: 'Which?' }, 'Legacy_Code__c'), 'MULTIPLE_CHOICES');
    assert.deepEqual(error.data, dupes.map((d) => `/services/data/v60.0/sobjects/Account/${d.id}`));
    const names = await accounts.retrieve(dupes.map((d) => d.id), { fields: ['Name'] });
    assert.deepEqual(names.map((r) => r.Name), ['Dup One', 'Dup Two'], 'neither record changed');

    // A field that is not an External ID cannot be upserted on.
    await rejects(() => accounts.upsert({ Name: 'Initech' }, 'Name'), 'NOT_FOUND');
  });

  it('composite with @{ref.id} references, with and without allOrNone', async () => {
    const { conn: c } = await freshTenant('Composite Co');
    const res = await c.requestPost('/services/data/v60.0/composite', {
      compositeRequest: [
        { method: 'POST', url: '/services/data/v60.0/sobjects/Account', referenceId: 'acct', body: { Name: 'Composite Co' } },
        { method: 'POST', url: '/services/data/v60.0/sobjects/Contact', referenceId: 'ct', body: { LastName: 'Ref', AccountId: '@{acct.id}' } },
        { method: 'GET', url: '/services/data/v60.0/sobjects/Contact/@{ct.id}?fields=AccountId,LastName', referenceId: 'read' },
      ],
    });
    const [acct, ct, read] = res.compositeResponse;
    assertSaveResult(acct.body, '001');
    assertSaveResult(ct.body, '003');
    assert.deepEqual(acct, {
      body: acct.body, httpHeaders: { Location: `/services/data/v60.0/sobjects/Account/${acct.body.id}` }, httpStatusCode: 201, referenceId: 'acct',
    });
    assert.deepEqual(ct, {
      body: ct.body, httpHeaders: { Location: `/services/data/v60.0/sobjects/Contact/${ct.body.id}` }, httpStatusCode: 201, referenceId: 'ct',
    });
    assert.deepEqual(read, {
      body: {
        attributes: { type: 'Contact', url: `/services/data/v60.0/sobjects/Contact/${ct.body.id}` },
        Id: ct.body.id, AccountId: acct.body.id, LastName: 'Ref',
      },
      httpHeaders: {}, httpStatusCode: 200, referenceId: 'read',
    });

    // allOrNone: creates, an update and a delete, using references, commit together.
    const existing = await c.sobject('Account').create({ Name: 'Existing' });
    const doomed = await c.sobject('Contact').create({ LastName: 'Doomed' });
    const atomic = await c.requestPost('/services/data/v60.0/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v60.0/sobjects/Account', referenceId: 'a2', body: { Name: 'Atomic' } },
        { method: 'POST', url: '/services/data/v60.0/sobjects/Contact', referenceId: 'c2', body: { LastName: 'Atom', AccountId: '@{a2.id}' } },
        { method: 'PATCH', url: `/services/data/v60.0/sobjects/Account/${existing.id}`, referenceId: 'u2', body: { ParentId: '@{a2.id}' } },
        { method: 'DELETE', url: `/services/data/v60.0/sobjects/Contact/${doomed.id}`, referenceId: 'd2' },
      ],
    });
    assert.deepEqual(atomic.compositeResponse.map((r) => [r.referenceId, r.httpStatusCode]), [['a2', 201], ['c2', 201], ['u2', 204], ['d2', 204]]);
    assert.equal(atomic.compositeResponse[2].body, null);
    assert.equal(atomic.compositeResponse[3].body, null);
    const a2 = atomic.compositeResponse[0].body.id;
    assert.equal((await c.sobject('Account').retrieve(existing.id, { fields: ['ParentId'] })).ParentId, a2);
    const c2 = await c.sobject('Contact').retrieve(atomic.compositeResponse[1].body.id, { fields: ['AccountId'] });
    assert.equal(c2.AccountId, a2);
    await rejects(() => c.sobject('Contact').retrieve(doomed.id), 'NOT_FOUND');

    // allOrNone: a failing subrequest halts the others and nothing is committed.
    const before = (await c.sobject('Account').recent()).map((r) => r.Id);
    const failed = await c.requestPost('/services/data/v60.0/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v60.0/sobjects/Account', referenceId: 'a3', body: { Name: 'Never' } },
        { method: 'POST', url: '/services/data/v60.0/sobjects/Contact', referenceId: 'c3', body: { FirstName: 'NoLast', AccountId: '@{a3.id}' } },
      ],
    });
    assert.deepEqual(failed.compositeResponse, [
      {
        body: [{ errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.', fields: [] }],
        httpHeaders: {}, httpStatusCode: 400, referenceId: 'a3',
      },
      {
        body: [{ errorCode: 'REQUIRED_FIELD_MISSING', message: CONTACT_LASTNAME_MISSING.message, fields: ['LastName'] }],
        httpHeaders: {}, httpStatusCode: 400, referenceId: 'c3',
      },
    ]);
    assert.deepEqual((await c.sobject('Account').recent()).map((r) => r.Id), before, 'no Account was committed');
  });

  it('composite/tree (requestPost: jsforce has no call for it) creates an Account with its Contacts and a task, or nothing', async () => {
    const { conn: c } = await freshTenant('Tree Co');
    const tree = await c.requestPost('/services/data/v60.0/composite/tree/Account', {
      records: [{
        attributes: { type: 'Account', referenceId: 'acct' }, Name: 'Tree Co',
        Contacts: { records: [{ attributes: { type: 'Contact', referenceId: 'ada' }, LastName: 'Lovelace',
          Tasks: { records: [{ attributes: { type: 'Task', referenceId: 'call' }, Subject: 'Intro call' }] } }] },
      }],
    });
    assert.equal(tree.hasErrors, false);
    assert.deepEqual(tree.results.map((r) => r.referenceId), ['acct', 'ada', 'call']);
    const [acct, ada, call] = tree.results.map((r) => r.id);
    assert.equal((await c.sobject('Contact').retrieve(ada, { fields: ['AccountId'] })).AccountId, acct);
    const task = await c.sobject('Task').retrieve(call, { fields: ['WhoId', 'AccountId'] });
    assert.deepEqual([task.WhoId, task.AccountId], [ada, acct]);

    // One bad record: a 400 with hasErrors, and nothing written.
    const before = (await c.query('SELECT Id FROM Account')).totalSize;
    await assert.rejects(() => c.requestPost('/services/data/v60.0/composite/tree/Account', {
      records: [{ attributes: { type: 'Account', referenceId: 'a' }, Name: 'Never',
        Contacts: { records: [{ attributes: { type: 'Contact', referenceId: 'bad' }, FirstName: 'NoLast' }] } }],
    }));
    assert.equal((await c.query('SELECT Id FROM Account')).totalSize, before, 'no Account was committed');
  });

  it('limits() reports the daily allowance of the tier, counting the REST calls made', async () => {
    const { conn: c } = await freshTenant('Limits LLC');
    await c.sobject('Account').create({ Name: 'One' });
    await c.sobject('Account').create({ Name: 'Two' });
    // Calls are counted in memory and stored every second: poll until every earlier call shows.
    const deadline = Date.now() + 10_000;
    let calls = 2;
    let limits;
    for (;;) {
      limits = await c.limits();
      assert.deepEqual(Object.keys(limits), ['DailyApiRequests', 'ApiRequestsPerSecond']);
      assert.equal(limits.ApiRequestsPerSecond.Max, 100); // the professional tier's default rate
      assert.equal(limits.DailyApiRequests.Max, 100_000);
      if (limits.DailyApiRequests.Remaining === 100_000 - calls) break;
      assert.ok(limits.DailyApiRequests.Remaining > 100_000 - calls, `Remaining ${limits.DailyApiRequests.Remaining} counts more than ${calls} calls`);
      assert.ok(Date.now() < deadline, `Remaining stayed at ${limits.DailyApiRequests.Remaining}, expected ${100_000 - calls}`);
      calls++; // this limits() call itself
      await sleep(200);
    }
    const free = await srv.createTenant('Free Tier', 'free');
    const freeConn = new jsforce.Connection({ instanceUrl: srv.baseUrl, accessToken: free.api_key, version: '60.0' });
    const freeLimits = await freeConn.limits();
    assert.deepEqual(freeLimits.DailyApiRequests, { Max: 15_000, Remaining: 15_000 });
    assert.deepEqual([freeLimits.ApiRequestsPerSecond.Max, freeLimits.ApiRequestsPerSecond.Burst], [10, 20]);
  });

  it('identity() follows the identity URL of the version resource list and names the key\'s user', async () => {
    const identity = await conn.identity();
    assert.match(identity.organization_id, /^00D[0-9A-Za-z]{15}$/);
    // A tenant created without admin_email gets an Integration User, whom its first key acts as.
    assert.match(acme.user_id, ID18('005'));
    assert.notEqual(acme.user_id, acme.api_key_id);
    assert.equal(acme.username, `integration.${acme.tenant_id}@revops.invalid`);
    assert.equal(identity.user_id, acme.user_id);
    assert.equal(identity.id, `${srv.baseUrl}/id/${identity.organization_id}/${acme.user_id}`);
    assert.equal(identity.display_name, 'Integration User');
    assert.equal(identity.username, acme.username);
    assert.equal(identity.organization_name, 'Acme');
    assert.equal(identity.active, true);
    assert.deepEqual(conn.userInfo, { id: acme.user_id, organizationId: identity.organization_id, url: identity.id });
    const resources = await conn.request('/services/data/v60.0');
    assert.deepEqual(resources, {
      sobjects: '/services/data/v60.0/sobjects', query: '/services/data/v60.0/query', queryAll: '/services/data/v60.0/queryAll',
      limits: '/services/data/v60.0/limits', composite: '/services/data/v60.0/composite', identity: identity.id,
    });
  });

  it('sobject(T).recent() lists the latest records, newest first', async () => {
    const { conn: c } = await freshTenant('Recent Corp');
    assert.deepEqual(await c.sobject('Account').recent(), []);
    const a = await c.sobject('Account').create({ Name: 'Older' });
    const b = await c.sobject('Account').create({ Name: 'Newer' });
    assert.deepEqual(await c.sobject('Account').recent(), [
      { attributes: { type: 'Account', url: `/services/data/v60.0/sobjects/Account/${b.id}` }, Id: b.id, Name: 'Newer' },
      { attributes: { type: 'Account', url: `/services/data/v60.0/sobjects/Account/${a.id}` }, Id: a.id, Name: 'Older' },
    ]);
    assert.deepEqual(await c.sobject('Contact').recent(), []);
  });

  it('sobject(T).updated() and deleted() report the records of a time window', async () => {
    const { conn: c } = await freshTenant('Replication AG');
    const start = new Date(Date.now() - 60_000);
    const kept = await c.sobject('Contact').create({ LastName: 'Stays' });
    const gone = await c.sobject('Contact').create({ LastName: 'Goes' });
    await c.sobject('Contact').destroy(gone.id);
    const end = new Date(Date.now() + 60_000);

    const updated = await c.sobject('Contact').updated(start, end);
    assert.deepEqual(Object.keys(updated), ['ids', 'latestDateCovered']);
    assert.deepEqual(updated.ids, [kept.id]);
    assert.match(updated.latestDateCovered, REPLICATION_TIME);

    const deleted = await c.sobject('Contact').deleted(start.toISOString(), end.toISOString());
    assert.deepEqual(Object.keys(deleted), ['deletedRecords', 'earliestDateAvailable', 'latestDateCovered']);
    assert.equal(deleted.deletedRecords.length, 1);
    assert.equal(deleted.deletedRecords[0].id, gone.id);
    assert.match(deleted.deletedRecords[0].deletedDate, REPLICATION_TIME);
    assert.match(deleted.earliestDateAvailable, REPLICATION_TIME);
    assert.match(deleted.latestDateCovered, REPLICATION_TIME);

    // A window that closed before anything happened.
    const early = await c.sobject('Contact').updated(new Date(Date.now() - 7_200_000), new Date(Date.now() - 3_600_000));
    assert.deepEqual(early.ids, []);
    assert.deepEqual((await c.sobject('Account').deleted(start, end)).deletedRecords, []);
  });

  it('jsforce errors carry the Salesforce errorCode', async () => {
    const contacts = conn.sobject('Contact');
    const unknownObject = await rejects(() => conn.sobject('Widget__c').create({ Name: 'x' }), 'NOT_FOUND');
    assert.match(unknownObject.message, /sObject type 'Widget__c' is not supported/);
    await rejects(() => conn.describe('Widget__c'), 'NOT_FOUND');

    const unknownField = await rejects(() => contacts.create({ LastName: 'X', Emial: 'x@example.com' }), 'INVALID_FIELD');
    assert.deepEqual(unknownField.data, { message: "'Emial' is not a field on Contact. Did you mean 'Email'?", errorCode: 'INVALID_FIELD', fields: ['Emial'] });
    await rejects(() => contacts.retrieve('003000000000001AAA', { fields: ['Nope'] }), 'INVALID_FIELD');

    const missing = await rejects(() => contacts.create({ FirstName: 'NoLast' }), 'REQUIRED_FIELD_MISSING');
    assert.deepEqual(missing.data.fields, ['LastName']);

    const bad = new jsforce.Connection({ instanceUrl: srv.baseUrl, accessToken: 'revops_live_not-a-real-key', version: '60.0' });
    const session = await rejects(() => bad.describeGlobal(), 'INVALID_SESSION_ID');
    assert.equal(session.message, 'Session expired or invalid');
    await rejects(() => bad.sobject('Contact').create({ LastName: 'X' }), 'INVALID_SESSION_ID');

    const created = await contacts.create({ LastName: 'Deleted Soon' });
    await contacts.destroy(created.id);
    await rejects(() => contacts.update({ Id: created.id, Title: 'Too late' }), 'ENTITY_IS_DELETED');
    const again = await rejects(() => contacts.destroy(created.id), 'ENTITY_IS_DELETED');
    assert.deepEqual(again.data, { message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED', fields: [] });

    const notFound = await rejects(() => contacts.retrieve(neverExistingIdLike(created.id)), 'NOT_FOUND');
    assert.equal(notFound.message, 'The requested resource does not exist');
    await rejects(() => contacts.update({ Id: neverExistingIdLike(created.id), Title: 'x' }), 'NOT_FOUND');
    // An Account Id under Contact, and a string that is no Id at all.
    const account = await conn.sobject('Account').create({ Name: 'Wrong Type' });
    await rejects(() => contacts.retrieve(account.id), 'NOT_FOUND');
    const notAnId = await rejects(() => contacts.retrieve('not-an-id'), 'NOT_FOUND');
    assert.equal(notAnId.message, 'Provided external ID field does not exist or is not accessible: not-an-id');
  });

  it('conn.soap.convertLead converts a lead into account, contact and opportunity', async () => {
    const { tenant, conn: c } = await freshTenant('Soap Convert Co');
    const lead = await c.sobject('Lead').create({ FirstName: 'Ada', LastName: 'Byron', Company: 'Analytical Engines', Email: 'ada@engines.example.com' });
    const [result] = [await c.soap.convertLead({ leadId: lead.id, convertedStatus: 'Closed - Converted', opportunityName: 'Engine deal' })].flat();
    assert.equal(result.success, true);
    assert.equal(result.leadId, lead.id);
    const account = await c.sobject('Account').retrieve(result.accountId);
    assert.equal(account.Name, 'Analytical Engines');
    const contact = await c.sobject('Contact').retrieve(result.contactId);
    assert.equal(contact.Email, 'ada@engines.example.com');
    assert.equal(contact.AccountId, result.accountId);
    const opportunity = await c.sobject('Opportunity').retrieve(result.opportunityId);
    assert.equal(opportunity.Name, 'Engine deal');
    const converted = await c.sobject('Lead').retrieve(lead.id);
    assert.equal(converted.IsConverted, true);
    assert.equal(converted.ConvertedContactId, result.contactId);

    const [again] = [await c.soap.convertLead({ leadId: lead.id, convertedStatus: 'Closed - Converted' })].flat();
    assert.equal(again.success, false);
    assert.equal([again.errors].flat()[0].statusCode, 'CANNOT_UPDATE_CONVERTED_LEAD');

    const stranger = new jsforce.Connection({ instanceUrl: srv.baseUrl, accessToken: 'revops_live_notARealKey000000000000000000000000', version: '60.0' });
    await assert.rejects(stranger.soap.convertLead({ leadId: lead.id, convertedStatus: 'Closed - Converted' }), /INVALID_SESSION_ID/);
    assert.ok(tenant.api_key);
  });

  it('without a version jsforce uses its default 50.0, which the server serves', async () => {
    const v50 = new jsforce.Connection({ instanceUrl: srv.baseUrl, accessToken: acme.api_key });
    assert.equal(v50.version, '50.0');
    const created = await v50.sobject('Account').create({ Name: 'Version Fifty' });
    assertSaveResult(created, '001');
    const record = await v50.sobject('Account').retrieve(created.id, { fields: ['Name'] });
    assert.deepEqual(record, {
      attributes: { type: 'Account', url: `/services/data/v50.0/sobjects/Account/${created.id}` }, Id: created.id, Name: 'Version Fifty',
    });
    const many = await v50.sobject('Account').create([{ Name: 'Fifty A' }, { Name: 'Fifty B' }]);
    for (const result of many) assertSaveResult(result, '001');
    const global = await v50.describeGlobal();
    assert.equal(global.sobjects[0].urls.describe, '/services/data/v50.0/sobjects/Account/describe');
  });

  it('another tenant\'s records are NOT_FOUND through jsforce, and stay unchanged', async () => {
    const { conn: other } = await freshTenant('Globex');
    const mine = await conn.sobject('Account').create({ Name: 'Acme Private' });
    await rejects(() => other.sobject('Account').retrieve(mine.id), 'NOT_FOUND');
    await rejects(() => other.sobject('Account').update({ Id: mine.id, Name: 'Hijacked' }), 'NOT_FOUND');
    await rejects(() => other.sobject('Account').destroy(mine.id), 'NOT_FOUND');
    assert.deepEqual(await other.sobject('Account').retrieve([mine.id], { fields: ['Name'] }), [null]);
    const [update] = await other.sobject('Account').update([{ Id: mine.id, Name: 'Hijacked' }]);
    assert.equal(update.success, false);
    assert.equal(update.errors[0].statusCode, 'NOT_FOUND');
    const [destroy] = await other.sobject('Account').destroy([mine.id]);
    assert.equal(destroy.success, false);
    assert.equal(destroy.errors[0].statusCode, 'NOT_FOUND');
    const record = await conn.sobject('Account').retrieve(mine.id, { fields: ['Name', 'IsDeleted'] });
    assert.equal(record.Name, 'Acme Private');
    assert.equal(record.IsDeleted, false);
  });

  describe('users and record owners', () => {
    const OLIVIA = { email: 'olivia.owner@owners.example.com', name: 'Olivia Owner' };
    let org; // a tenant whose first user is a person: POST /tenants with admin_email and admin_name
    let c; // jsforce Connection with its admin key, which acts as Olivia
    let sam; // a second user, created with POST /api/users

    /** An /api call with the org's admin key, as an admin's script makes it: plain fetch, not jsforce. */
    async function api(method, path, body, key = org.api_key) {
      const res = await fetch(`${srv.baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, type: res.headers.get('content-type'), text, body: /^application\/json/.test(res.headers.get('content-type')) ? JSON.parse(text) : null };
    }

    const userUrl = (id) => `/services/data/v60.0/sobjects/User/${id}`;
    const ownerMissing = (obj, id) => ({
      message: `${obj}.OwnerId: no active User '${id}' in this org. Find users with SOQL SELECT Id, Name FROM User WHERE IsActive = true (or find_records with object User), or leave OwnerId out to keep the current owner (on create: you).`,
      errorCode: 'INVALID_CROSS_REFERENCE_KEY',
      fields: ['OwnerId'],
    });

    before(async () => {
      org = await srv.createTenant('Owners Inc', 'professional', { admin_email: OLIVIA.email, admin_name: OLIVIA.name });
      c = new jsforce.Connection({ instanceUrl: srv.baseUrl, accessToken: org.api_key, version: '60.0' });
    });

    it('SELECT … FROM User finds the key\'s user, named by admin_email/admin_name on POST /tenants', async () => {
      assert.match(org.user_id, ID18('005'));
      assert.equal(org.user_id.slice(15), idSuffix(org.user_id.slice(0, 15)));
      assert.notEqual(org.user_id, org.api_key_id);
      assert.equal(org.username, OLIVIA.email);

      // Only this org's users: the other tenants on this server (Acme, …) have users of their own.
      const result = await c.query('SELECT Id, Name, Username, IsActive FROM User');
      assert.deepEqual(result, {
        totalSize: 1, done: true,
        records: [{ attributes: { type: 'User', url: userUrl(org.user_id) }, Id: org.user_id, Name: 'Olivia Owner', Username: OLIVIA.email, IsActive: true }],
      });
      const user = await c.sobject('User').retrieve(org.user_id, { fields: ['Email', 'FirstName', 'LastName', 'Alias', 'TimeZoneSidKey', 'UserType'] });
      assert.deepEqual(user, {
        attributes: { type: 'User', url: userUrl(org.user_id) }, Id: org.user_id,
        Email: OLIVIA.email, FirstName: 'Olivia', LastName: 'Owner', Alias: 'oowner', TimeZoneSidKey: 'GMT', UserType: 'Standard',
      });

      // Users are read-only through the record channels.
      const refused = await rejects(() => c.sobject('User').create({ LastName: 'Sneaky', Email: 'sneaky@owners.example.com', Username: 'sneaky@owners.example.com' }), 'INSUFFICIENT_ACCESS');
      assert.deepEqual(refused.data.fields, ['object']);
      await rejects(() => c.sobject('User').update({ Id: org.user_id, Title: 'CEO' }), 'INSUFFICIENT_ACCESS');
      assert.equal((await c.query('SELECT COUNT() FROM User')).totalSize, 1);
    });

    it('a new Account is owned by the key\'s user, who also created and last modified it', async () => {
      const created = await c.sobject('Account').create({ Name: 'Owned Outright' });
      assertSaveResult(created, '001');
      const record = await c.sobject('Account').retrieve(created.id, { fields: ['OwnerId', 'CreatedById', 'LastModifiedById'] });
      assert.deepEqual(record, {
        attributes: { type: 'Account', url: `/services/data/v60.0/sobjects/Account/${created.id}` }, Id: created.id,
        OwnerId: org.user_id, CreatedById: org.user_id, LastModifiedById: org.user_id,
      });
    });

    it('POST /api/users adds a user; jsforce reassigns an Account to her and reads Owner.Name and CreatedBy.Name', async () => {
      const made = await api('POST', '/api/users', { email: 'sam.seller@owners.example.com', name: 'Sam Seller', title: 'Account Executive' });
      assert.equal(made.status, 201, made.text);
      sam = made.body;
      assert.match(sam.Id, ID18('005'));
      assert.match(sam.CreatedDate, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.deepEqual(sam, {
        Id: sam.Id, Username: 'sam.seller@owners.example.com', Name: 'Sam Seller', FirstName: 'Sam', LastName: 'Seller',
        Email: 'sam.seller@owners.example.com', Alias: 'sseller', Title: 'Account Executive', Department: null, TimeZoneSidKey: 'GMT',
        IsActive: true, LastLoginDate: null, CreatedDate: sam.CreatedDate, is_admin: false, has_password: false,
      });

      const accounts = c.sobject('Account');
      const account = await accounts.create({ Name: 'Reassigned Ltd' });
      assert.deepEqual(await accounts.update({ Id: account.id, OwnerId: sam.Id }), { id: account.id, success: true, errors: [] });
      assert.equal((await accounts.retrieve(account.id, { fields: ['OwnerId'] })).OwnerId, sam.Id);

      const result = await c.query(`SELECT Owner.Name, CreatedBy.Name FROM Account WHERE Id = '${account.id}'`);
      assert.deepEqual(result, {
        totalSize: 1, done: true,
        records: [{
          attributes: { type: 'Account', url: `/services/data/v60.0/sobjects/Account/${account.id}` },
          Owner: { attributes: { type: 'User', url: userUrl(sam.Id) }, Name: 'Sam Seller' },
          CreatedBy: { attributes: { type: 'User', url: userUrl(org.user_id) }, Name: 'Olivia Owner' },
        }],
      });

      // Filters on the owner, and USING SCOPE mine: Olivia's are every Account but Sam's.
      const bySam = await c.query(`SELECT Id FROM Account WHERE OwnerId = '${sam.Id}'`);
      assert.deepEqual(bySam.records.map((r) => r.Id), [account.id]);
      const all = (await c.query('SELECT Id FROM Account ORDER BY Id')).records.map((r) => r.Id);
      const mine = (await c.query('SELECT Id FROM Account USING SCOPE mine ORDER BY Id')).records.map((r) => r.Id);
      assert.equal(all.length, 2);
      assert.deepEqual(mine, all.filter((id) => id !== account.id));

      // A key acting as Sam (POST /api/keys with "user"): his scope is his Account, and his edit is his.
      const key = await api('POST', '/api/keys', { scope: 'write', user: 'sam.seller@owners.example.com' });
      assert.equal(key.status, 201, key.text);
      assert.deepEqual([key.body.scope, key.body.user_id, key.body.user_name], ['write', sam.Id, 'Sam Seller']);
      const asSam = new jsforce.Connection({ instanceUrl: srv.baseUrl, accessToken: key.body.api_key, version: '60.0' });
      assert.deepEqual((await asSam.query('SELECT Id FROM Account USING SCOPE mine')).records.map((r) => r.Id), [account.id]);
      await asSam.sobject('Account').update({ Id: account.id, Phone: '+1 555 0100' });
      const edited = await c.query(`SELECT LastModifiedBy.Name, LastModifiedById FROM Account WHERE Id = '${account.id}'`);
      assert.equal(edited.records[0].LastModifiedBy.Name, 'Sam Seller');
      assert.equal(edited.records[0].LastModifiedById, sam.Id);

      // The change feed names who did what, and filters by actor (?actor= takes a name, email or User Id).
      const feed = await api('GET', '/api/changes?actor=Sam');
      assert.equal(feed.status, 200, feed.text);
      assert.match(feed.type, /^application\/x-ndjson/);
      const byActor = feed.text.trim().split('\n').map((line) => JSON.parse(line));
      assert.deepEqual(byActor.map((ch) => [ch.object, ch.recordId, ch.operation, ch.changes, ch.actor, ch.keyId, ch.channel]), [
        ['Account', account.id, 'updated', { Phone: { before: null, after: '+1 555 0100' } }, { Id: sam.Id, Name: 'Sam Seller' }, key.body.id, 'rest'],
      ]);
      const byOlivia = (await api('GET', `/api/changes?actor=${org.user_id}`)).text.trim().split('\n').map((line) => JSON.parse(line));
      const reassigned = byOlivia.filter((ch) => ch.recordId === account.id && ch.operation === 'updated');
      assert.deepEqual(reassigned.map((ch) => [ch.changes, ch.actor, ch.keyId, ch.channel]), [
        [{ OwnerId: { before: org.user_id, after: sam.Id } }, { Id: org.user_id, Name: 'Olivia Owner' }, org.api_key_id, 'rest'],
      ]);
      // Creating Sam through /api/users is a change of a User record by Olivia, with her key.
      const samCreated = byOlivia.filter((ch) => ch.recordId === sam.Id);
      assert.deepEqual(samCreated.map((ch) => [ch.object, ch.operation, ch.actor, ch.keyId, ch.channel]), [
        ['User', 'created', { Id: org.user_id, Name: 'Olivia Owner' }, org.api_key_id, 'api'],
      ]);
    });

    it('identity() returns the key\'s user', async () => {
      const identity = await c.identity();
      assert.match(identity.organization_id, /^00D[0-9A-Za-z]{15}$/);
      assert.equal(identity.id, `${srv.baseUrl}/id/${identity.organization_id}/${org.user_id}`);
      assert.deepEqual(
        [identity.user_id, identity.username, identity.display_name, identity.first_name, identity.last_name, identity.email,
          identity.nick_name, identity.organization_name, identity.is_admin, identity.active],
        [org.user_id, OLIVIA.email, 'Olivia Owner', 'Olivia', 'Owner', OLIVIA.email, 'oowner', 'Owners Inc', true, true]);
      assert.deepEqual(c.userInfo, { id: org.user_id, organizationId: identity.organization_id, url: identity.id });
    });

    it('an OwnerId that is no active user of the org is INVALID_CROSS_REFERENCE_KEY, and nothing is written', async () => {
      const accounts = c.sobject('Account');
      const owners = (await c.query('SELECT Id, OwnerId FROM Account ORDER BY Id')).records;

      const ghost = neverExistingIdLike(org.user_id);
      const onCreate = await rejects(() => accounts.create({ Name: 'Nobody Owns Me', OwnerId: ghost }), 'INVALID_CROSS_REFERENCE_KEY');
      assert.deepEqual(onCreate.data, ownerMissing('Account', ghost));
      const target = owners[0];
      const onUpdate = await rejects(() => accounts.update({ Id: target.Id, OwnerId: ghost }), 'INVALID_CROSS_REFERENCE_KEY');
      assert.deepEqual(onUpdate.data, ownerMissing('Account', ghost));

      // Another tenant's user reads exactly like one that never existed.
      const foreign = await rejects(() => accounts.create({ Name: 'Foreign Owner', OwnerId: acme.user_id }), 'INVALID_CROSS_REFERENCE_KEY');
      assert.deepEqual(foreign.data, ownerMissing('Account', acme.user_id));

      // A deactivated user owns no new records (their old ones keep them as owner).
      const dee = await api('POST', '/api/users', { email: 'dee.parted@owners.example.com', name: 'Dee Parted' });
      assert.equal(dee.status, 201, dee.text);
      const off = await api('POST', `/api/users/${dee.body.Id}/deactivate`);
      assert.equal(off.status, 200, off.text);
      assert.equal(off.body.IsActive, false);
      const inactive = await rejects(() => c.sobject('Contact').create({ LastName: 'Orphan', OwnerId: dee.body.Id }), 'INVALID_CROSS_REFERENCE_KEY');
      assert.deepEqual(inactive.data, ownerMissing('Contact', dee.body.Id));

      // An Id of another object is no owner either; nor is an empty owner.
      await rejects(() => accounts.update({ Id: target.Id, OwnerId: owners[1].Id }), 'INVALID_CROSS_REFERENCE_KEY');
      await rejects(() => accounts.update({ Id: target.Id, OwnerId: null }), 'REQUIRED_FIELD_MISSING');

      assert.deepEqual((await c.query('SELECT Id, OwnerId FROM Account ORDER BY Id')).records, owners);
      assert.equal((await c.query('SELECT COUNT() FROM Contact')).totalSize, 0);
    });
  });

  describe('OAuth token endpoint, then jsforce with the returned token', () => {
    async function token(form) {
      const res = await fetch(`${srv.baseUrl}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams(form) });
      assert.match(res.headers.get('content-type'), /^application\/json/);
      return { status: res.status, body: await res.json() };
    }

    for (const [grant, form] of [
      ['password', (key) => ({ grant_type: 'password', client_id: 'my-app', client_secret: 'ignored', username: 'ops@acme.example.com', password: key })],
      ['client_credentials', (key) => ({ grant_type: 'client_credentials', client_id: 'my-app', client_secret: key })],
    ]) {
      it(`grant_type=${grant} returns an access token and instance URL that jsforce can use`, async () => {
        const { status, body } = await token(form(acme.api_key));
        assert.equal(status, 200);
        assert.deepEqual(Object.keys(body), ['access_token', 'instance_url', 'id', 'token_type', 'issued_at', 'scope']);
        assert.equal(body.access_token, acme.api_key);
        assert.equal(body.instance_url, srv.baseUrl);
        assert.equal(body.token_type, 'Bearer');
        assert.match(body.issued_at, /^\d{13}$/);
        assert.match(body.id, new RegExp(`^${srv.baseUrl}/id/00D[0-9A-Za-z]{15}/${acme.user_id}$`));

        const c = new jsforce.Connection({ instanceUrl: body.instance_url, accessToken: body.access_token, version: '60.0' });
        const identity = await c.identity();
        assert.equal(identity.id, body.id);
        const created = await c.sobject('Lead').create({ LastName: 'Token', Company: `Grant ${grant}` });
        assertSaveResult(created, '00Q');
        const lead = await c.sobject('Lead').retrieve(created.id, { fields: ['Company', 'Status'] });
        assert.equal(lead.Company, `Grant ${grant}`);
        assert.equal(lead.Status, 'Open - Not Contacted');
      });
    }

    it('a wrong secret or an unknown grant type is a 400 OAuth error', async () => {
      assert.deepEqual(await token({ grant_type: 'password', username: 'x', password: 'revops_live_wrong' }),
        { status: 400, body: { error: 'invalid_grant', error_description: 'authentication failure' } });
      assert.deepEqual(await token({ grant_type: 'client_credentials', client_id: 'x' }),
        { status: 400, body: { error: 'invalid_grant', error_description: 'authentication failure' } });
      const unsupported = await token({ grant_type: 'authorization_code', code: 'abc' });
      assert.equal(unsupported.status, 400);
      assert.equal(unsupported.body.error, 'unsupported_grant_type');
    });
  });
});
