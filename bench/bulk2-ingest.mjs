// Bulk API 2.0 ingest of N contacts (default 100,000) through jsforce 3's conn.bulk2.loadAndWaitForResults, end to end:
// create job, stream the CSV upload, close, poll until JobComplete, read the results. Prints rows/s for each phase.
//
//   node bench/bulk2-ingest.mjs [rows]                       starts its own `revops serve` on a fresh SQLite file
//   REVOPS_BENCH_PG="<npgsql conn>" node bench/bulk2-ingest.mjs  the same on a fresh PostgreSQL database
// Needs tests/clients' node_modules (npm ci there) and a Release build of src/RevOps.Cli.
import { startServer } from '../tests/clients/server.mjs';

for (const name of ['https_proxy', 'http_proxy', 'HTTPS_PROXY', 'HTTP_PROXY']) delete process.env[name];
const { default: jsforce } = await import('../tests/clients/node_modules/jsforce/lib/index.js');

const rows = Number(process.argv[2] ?? 100_000);
if (process.env.REVOPS_BENCH_PG) process.env.REVOPS_CLIENTS_PG = process.env.REVOPS_BENCH_PG;
const srv = await startServer();
try {
  const tenant = await srv.createTenant('Bench', 'enterprise');
  const conn = new jsforce.Connection({ instanceUrl: srv.baseUrl, accessToken: tenant.api_key, version: '60.0' });
  conn.bulk2.pollInterval = 250;
  conn.bulk2.pollTimeout = 3_600_000;
  const input = Array.from({ length: rows }, (_, i) => ({
    FirstName: `First${i}`, LastName: `Bench${i}`, Email: `bench${i}@bulk.example`, Title: i % 3 ? 'Engineer' : 'Manager',
    Phone: `+1 555 ${String(i).padStart(7, '0')}`, MailingCity: ['Berlin', 'Paris', 'Austin'][i % 3], Birthdate: '1990-01-31',
  }));
  const job = conn.bulk2.createJob({ object: 'Contact', operation: 'insert' });
  const t0 = performance.now();
  await job.open();
  await job.uploadData(input);
  const t1 = performance.now();
  await job.close();
  await job.poll(250, 3_600_000);
  const t2 = performance.now();
  const { successfulResults, failedResults } = await job.getAllResults();
  const t3 = performance.now();
  const s = (ms) => (ms / 1000).toFixed(1);
  const rate = (ms) => Math.round(rows / (ms / 1000)).toLocaleString('en-US');
  console.log(`backend: ${process.env.REVOPS_BENCH_PG ? 'PostgreSQL' : 'SQLite'}; rows: ${rows.toLocaleString('en-US')}; ok: ${successfulResults.length}; failed: ${failedResults.length}`);
  console.log(`upload ${s(t1 - t0)} s (${rate(t1 - t0)} rows/s); processing ${s(t2 - t1)} s (${rate(t2 - t1)} rows/s); results ${s(t3 - t2)} s`);
  console.log(`end to end ${s(t3 - t0)} s: ${rate(t3 - t0)} rows/s`);
} finally {
  await srv.stop();
}
