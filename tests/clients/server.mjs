// Starts the real RevOps server (the built revops.dll) for client tests.
//
//   const srv = await startServer();   // free loopback port, fresh data dir, random admin token
//   const { api_key } = await srv.createTenant('Acme');
//   ...
//   await srv.stop();                  // always call it from a test `after` hook
//
// The dll comes from $REVOPS_DLL, or by default from the Release build output
// ../../src/RevOps.Cli/bin/Release/net10.0/revops.dll (relative to this folder).
// With $REVOPS_CLIENTS_PG (an Npgsql connection string whose user may create databases) every server
// runs on a fresh PostgreSQL database of its own (--db) instead of its SQLite file.

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const DLL = resolve(
  here,
  process.env.REVOPS_DLL || '../../src/RevOps.Cli/bin/Release/net10.0/revops.dll'
);

const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

// Every server started by this process (child -> data dir); killed on process exit as a last resort,
// e.g. when the test process is interrupted before its `after` hook runs.
const live = new Map();
function killAll() {
  for (const [child, dataDir] of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
    try { rmSync(dataDir, { recursive: true, force: true }); } catch { /* best effort */ }
  }
  live.clear();
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAll();
    process.exit(128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal]);
  });
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function healthy(baseUrl) {
  try {
    const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/**
 * Start one server. Resolves once GET /health answers 200.
 * @param {{ args?: string[] }} [options] extra `revops serve` flags, e.g. ['--conformance-fixtures']
 * @returns {Promise<{baseUrl: string, mcpUrl: string, adminToken: string, dataDir: string,
 *   createTenant: (name?: string, tier?: string, extra?: object) => Promise<object>, output: () => string,
 *   stop: () => Promise<void>}>}
 */
export async function startServer({ args = [] } = {}) {
  if (!existsSync(DLL)) {
    throw new Error(
      `revops.dll not found at ${DLL}. Build it first (dotnet build -c Release) or set REVOPS_DLL.`
    );
  }

  let lastError;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await startOnce(args);
    } catch (err) {
      lastError = err;
      // Another process may have taken the port between freePort() and bind: retry.
    }
  }
  throw lastError;
}

/** A new empty database on the server of `connection`, by tests/postgres/create-database.sh; its connection string. */
function freshDatabase(connection) {
  const name = `revops_clients_${randomBytes(8).toString('hex')}`;
  const made = spawnSync('bash', [resolve(here, '../postgres/create-database.sh'), connection, name], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`could not create PostgreSQL database ${name}: ${made.stderr}`);
  return made.stdout.trim();
}

async function startOnce(extraArgs) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const adminToken = `adm_${randomBytes(24).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'revops-clients-'));
  if (process.env.REVOPS_CLIENTS_PG) extraArgs = [...extraArgs, '--db', freshDatabase(process.env.REVOPS_CLIENTS_PG)];

  let log = '';
  const child = spawn(
    'dotnet',
    [DLL, 'serve', '--data', dataDir, '--urls', baseUrl, '--admin-token', adminToken, ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOTNET_NOLOGO: '1' } }
  );
  live.set(child, dataDir);
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  let hasExited = false;
  exited.then(() => { hasExited = true; live.delete(child); });
  child.stdout.setEncoding('utf8').on('data', (s) => { log += s; });
  child.stderr.setEncoding('utf8').on('data', (s) => { log += s; });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!hasExited) {
      child.kill('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), sleep(STOP_TIMEOUT_MS).then(() => true)]);
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(log.includes('RevOps listening') && (await healthy(baseUrl)))) {
    if (hasExited) {
      await stop();
      throw new Error(`revops server exited during startup:\n${log}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`revops server did not become healthy within ${STARTUP_TIMEOUT_MS} ms:\n${log}`);
    }
    await sleep(100);
  }

  /**
   * POST /tenants with the admin token; returns the 201 body. `extra` adds body fields, e.g.
   * { admin_email, admin_name } for a named first user (else the tenant's first user is its Integration User).
   */
  const createTenant = async (name = 'Acme', tier = 'professional', extra = {}) => {
    const res = await fetch(`${baseUrl}/tenants`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, subscription_tier: tier, ...extra }),
    });
    const text = await res.text();
    if (res.status !== 201) {
      throw new Error(`POST /tenants answered ${res.status}: ${text}`);
    }
    return JSON.parse(text);
  };

  return {
    baseUrl,
    mcpUrl: `${baseUrl}/mcp`,
    pid: child.pid,
    adminToken,
    dataDir,
    createTenant,
    output: () => log,
    stop,
  };
}
