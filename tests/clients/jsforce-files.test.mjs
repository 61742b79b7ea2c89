// jsforce 3, unchanged, uploading files the two ways it knows (docs/files.md): a ContentVersion with VersionData as base64
// in JSON, and the same create with multipartFileFields (jsforce then sends the bytes as a binary VersionData part and the
// other fields as an application/json part named after the object). Each file is linked to an Account through
// FirstPublishLocationId, found again through ContentDocumentLink, and read back through RecordReference.blob().
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { startServer } from './server.mjs';

for (const name of ['https_proxy', 'http_proxy', 'HTTPS_PROXY', 'HTTP_PROXY']) delete process.env[name];
const { default: jsforce } = await import('jsforce');

const ID18 = (prefix) => new RegExp(`^${prefix}[0-9A-Za-z]{15}$`);

/** All bytes of a Node stream. */
async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('jsforce 3 files (ContentVersion, ContentDocumentLink)', () => {
  let srv;
  let conn;

  before(async () => {
    srv = await startServer();
    const tenant = await srv.createTenant('Files', 'professional');
    conn = new jsforce.Connection({ instanceUrl: srv.baseUrl, accessToken: tenant.api_key, version: '60.0' });
  });

  after(async () => {
    await srv?.stop();
  });

  async function uploadAndCheck(label, bytes, createOptions) {
    const account = await conn.sobject('Account').create({ Name: `${label} Co` });
    assert.equal(account.success, true);
    const created = await conn.sobject('ContentVersion').create({
      Title: `${label} proposal`,
      PathOnClient: `${label}-proposal.pdf`,
      VersionData: bytes.toString('base64'),
      FirstPublishLocationId: account.id,
    }, createOptions);
    assert.equal(created.success, true, JSON.stringify(created));
    assert.match(created.id, ID18('068'));

    const version = await conn.sobject('ContentVersion').retrieve(created.id);
    assert.match(version.ContentDocumentId, ID18('069'));
    assert.deepEqual(
      [version.Title, version.PathOnClient, version.FileType, version.ContentSize, version.Checksum, version.IsLatest],
      [`${label} proposal`, `${label}-proposal.pdf`, 'PDF', bytes.length, createHash('md5').update(bytes).digest('hex'), true]);

    const links = await conn.query(
      `SELECT ContentDocumentId, LinkedEntityId, ShareType FROM ContentDocumentLink WHERE LinkedEntityId = '${account.id}'`);
    assert.equal(links.totalSize, 1);
    assert.deepEqual(
      [links.records[0].ContentDocumentId, links.records[0].LinkedEntityId, links.records[0].ShareType],
      [version.ContentDocumentId, account.id, 'V']);

    const back = await readAll(conn.sobject('ContentVersion').record(created.id).blob('VersionData'));
    assert.equal(Buffer.compare(back, bytes), 0, `${label}: the downloaded bytes differ (${back.length} vs ${bytes.length})`);
    return version;
  }

  it('uploads VersionData as base64 JSON, links it to an Account and downloads the same bytes', async () => {
    await uploadAndCheck('Json', randomBytes(200_000), {});
  });

  it('uploads VersionData as multipart/form-data, links it to an Account and downloads the same bytes', async () => {
    // Larger than the 1 MB every other route accepts: only this route's limit is raised.
    await uploadAndCheck('Multipart', randomBytes(3 * 1024 * 1024 + 5),
      { multipartFileFields: { VersionData: { filename: 'Multipart-proposal.pdf', contentType: 'application/pdf' } } });
  });

  it('a new version with ContentDocumentId keeps the document, and the old version stays readable', async () => {
    const first = await uploadAndCheck('Versioned', Buffer.from('first draft'), {});
    const second = await conn.sobject('ContentVersion').create({
      PathOnClient: 'Versioned-proposal-v2.pdf', VersionData: Buffer.from('second draft').toString('base64'), ContentDocumentId: first.ContentDocumentId,
    });
    assert.equal(second.success, true);
    const document = await conn.sobject('ContentDocument').retrieve(first.ContentDocumentId);
    assert.equal(document.LatestPublishedVersionId, second.id);
    const versions = await conn.query(`SELECT Id, VersionNumber, IsLatest FROM ContentVersion WHERE ContentDocumentId = '${first.ContentDocumentId}' ORDER BY VersionNumber`);
    assert.deepEqual(versions.records.map((r) => [r.Id, r.VersionNumber, r.IsLatest]), [[first.Id, '1', false], [second.id, '2', true]]);
    const old = await readAll(conn.sobject('ContentVersion').record(first.Id).blob('VersionData'));
    assert.equal(old.toString(), 'first draft');
  });
});
