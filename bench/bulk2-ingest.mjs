// Bulk API 2.0 ingest of N contacts (default 100,000) through jsforce 3's conn.bulk2.loadAndWaitForResults, end to end:
// create job, stream the CSV upload, close, poll until JobComplete, read the results. Prints rows/s for each phase.
//
//   node bench/bulk2-ingest.mjs [rows]                       starts its own `revops serve` on a fresh SQLite file
//   REVOPS_BENCH_PG="<npgsql conn>" node bench/bulk2-ingest.mjs  the same on a fresh PostgreSQL database
// Needs tests/clients' node_modules (npm ci there) and a Release build of src/RevOps.Cli (or REVOPS_DLL).
// Besides wall time it prints the server's CPU time (user + system, from /proc) per row of each phase: the figure that
// stays comparable when other work shares the machine.
import { readFileSync } from 'node:fs';
import { startServer } from '../tests/clients/server.mjs';

const ticksPerSecond = 100; // Linux's USER_HZ
const serverCpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 1000 / ticksPerSecond; // utime and stime, fields 14 and 15 of stat
};

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
  const c0 = serverCpuMs(srv.pid);
  const t0 = performance.now();
  await job.open();
  await job.uploadData(input);
  const t1 = performance.now();
  const c1 = serverCpuMs(srv.pid);
  await job.close();
  await job.poll(250, 3_600_000);
  const t2 = performance.now();
  const c2 = serverCpuMs(srv.pid);
  const { successfulResults, failedResults } = await job.getAllResults();
  const t3 = performance.now();
  const c3 = serverCpuMs(srv.pid);
  const s = (ms) => (ms / 1000).toFixed(1);
  const rate = (ms) => Math.round(rows / (ms / 1000)).toLocaleString('en-US');
  console.log(`backend: ${process.env.REVOPS_BENCH_PG ? 'PostgreSQL' : 'SQLite'}; rows: ${rows.toLocaleString('en-US')}; ok: ${successfulResults.length}; failed: ${failedResults.length}`);
  console.log(`upload ${s(t1 - t0)} s (${rate(t1 - t0)} rows/s); processing ${s(t2 - t1)} s (${rate(t2 - t1)} rows/s); results ${s(t3 - t2)} s`);
  console.log(`end to end ${s(t3 - t0)} s: ${rate(t3 - t0)} rows/s`);
  const perRow = (ms) => Math.round(ms * 1000 / rows);
  console.log(`server CPU per row: upload ${perRow(c1 - c0)} µs, processing ${perRow(c2 - c1)} µs, results ${perRow(c3 - c2)} µs; total ${perRow(c3 - c0)} µs`);
} finally {
  await srv.stop();
}
