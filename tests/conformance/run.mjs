// Runs the official MCP conformance suite twice — release 0.1.16 (every server scenario, `--suite
// all`, protocol 2025-11-25) and the 0.2 pre-release (the scenarios protocol 2026-07-28 requires,
// `--requirements 2026-07-28`, reported as next/…) — and the MCP Inspector CLI against the real
// `revops serve --conformance-fixtures`, on a free loopback port with a fresh data directory and a
// tenant created through POST /tenants. Needs Node 22+ (run.sh provides it). Prints one line per
// scenario and per Inspector check, then
//   conformance: N passed, N failed, N excepted
// Excepted scenarios (excepted.mjs, excepted-next.mjs) are neither passes nor failures; a scenario
// that no longer fails the documented way is a failure.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../clients/server.mjs';
import { startAuthProxy } from './auth-proxy.mjs';
import { EXCEPTED } from './excepted.mjs';
import { EXCEPTED_NEXT } from './excepted-next.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const suite = (dir, prefix, args, excepted) => ({
  bin: join(here, 'node_modules', dir, 'dist/index.js'),
  version: JSON.parse(readFileSync(join(here, 'node_modules', dir, 'package.json'), 'utf8')).version,
  prefix, args, excepted,
});
const SUITES = [
  suite('@modelcontextprotocol/conformance', '', ['--suite', 'all'], EXCEPTED),
  // The 0.2 pre-release runs each scenario at the wire of the revision asked for: 2026-07-28 is stateless
  // (server/discover, per-request _meta, input-required results); 0.1.16 covers 2025-11-25.
  suite('conformance-next', 'next/', ['--requirements', '2026-07-28'], EXCEPTED_NEXT),
];
const INSPECTOR = join(here, 'node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js');
const SUITE_TIMEOUT_MS = 120_000;

const results = { passed: 0, failed: 0, excepted: 0 };
const report = (outcome, name, detail = '') => {
  results[outcome]++;
  const mark = { passed: '✔', failed: '✖', excepted: '~' }[outcome];
  console.log(`${mark} ${outcome.padEnd(8)} ${name}${detail ? ` — ${detail}` : ''}`);
};

const work = mkdtempSync(join(tmpdir(), 'revops-conformance-'));
let srv;
let proxy;
try {
  srv = await startServer({ args: ['--conformance-fixtures'] });
  const tenant = await srv.createTenant('Conformance');
  proxy = await startAuthProxy(srv.baseUrl, tenant.api_key);
  for (const [i, s] of SUITES.entries()) await runSuite(s, `${proxy.url}/mcp`, join(work, `results-${i}`));
  await runInspector(srv, tenant.api_key, join(work, 'home'));
} catch (err) {
  report('failed', 'conformance run', err?.stack ?? String(err));
} finally {
  await proxy?.close();
  await srv?.stop();
  rmSync(work, { recursive: true, force: true });
}
console.log(`conformance: ${results.passed} passed, ${results.failed} failed, ${results.excepted} excepted`);
process.exitCode = results.failed > 0 || results.passed === 0 ? 1 : 0;

async function runSuite({ bin, version, prefix, args, excepted: exceptions }, url, outDir) {
  const started = Date.now();
  const { code, output } = await run(process.execPath, [bin, 'server', '--url', url, ...args, '-o', outDir], SUITE_TIMEOUT_MS);
  const scenarios = [...output.matchAll(/^=== Running scenario: (\S+) ===$/gm)].map((m) => m[1]);
  if (scenarios.length === 0) {
    report('failed', `conformance suite ${version}`, `ran no scenario (exit ${code}):\n${output}`);
    return;
  }
  const checksOf = readChecks(outDir);
  for (const name of scenarios) {
    const checks = checksOf.get(name);
    const excepted = exceptions[name];
    const label = `scenario ${prefix}${name}`;
    if (!checks) {
      report('failed', label, 'no results written');
    } else if (excepted) {
      if (excepted.matches(checks)) report('excepted', label, excepted.reason);
      else report('failed', label, `listed as excepted, but ended otherwise (update the exception list): ${problems(checks) || 'all checks passed'}`);
    } else if (problems(checks)) {
      report('failed', label, problems(checks));
    } else if (!checks.some((c) => c.status === 'SUCCESS')) {
      report('failed', label, 'no check passed: the scenario tested nothing (every check skipped)');
    } else {
      report('passed', label, `${checks.filter((c) => c.status === 'SUCCESS').length} checks`);
    }
  }
  for (const name of Object.keys(exceptions)) {
    if (!scenarios.includes(name)) report('failed', `scenario ${prefix}${name}`, 'listed as excepted but the suite no longer has it');
  }
  console.log(`(conformance suite ${version} ${args.join(' ')}: ${scenarios.length} scenarios in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** Failures and warnings, as the suite's own baseline check counts them (a WARNING is not a pass there either). */
function problems(checks) {
  return checks
    .filter((c) => c.status === 'FAILURE' || c.status === 'WARNING')
    .map((c) => `${c.status} ${c.id}: ${c.errorMessage ?? c.details?.message ?? c.description}`)
    .join('; ');
}

/** scenario name -> checks, from <outDir>/server-<scenario>-<timestamp>/checks.json */
function readChecks(outDir) {
  const byName = new Map();
  if (!existsSync(outDir)) return byName;
  for (const dir of readdirSync(outDir)) {
    const file = join(outDir, dir, 'checks.json');
    if (!existsSync(file)) continue;
    const name = dir.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '');
    byName.set(name, JSON.parse(readFileSync(file, 'utf8')));
  }
  return byName;
}

async function runInspector(srv, apiKey, home) {
  // The Inspector keeps state under $HOME/.mcp-inspector: give it a throwaway home.
  const inspect = (key, ...args) => {
    const res = spawnSync(process.execPath, [INSPECTOR, '--cli', srv.mcpUrl, '--transport', 'http', '--header', `Authorization: Bearer ${key}`, ...args],
      { encoding: 'utf8', timeout: 30_000, env: { ...process.env, HOME: home, MCP_CATALOG_PATH: join(home, 'mcp.json') } });
    return { code: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? '' };
  };
  const check = (name, fn) => {
    try {
      const detail = fn();
      report('passed', name, detail);
    } catch (err) {
      report('failed', name, err.message);
    }
  };

  const ours = (await (await fetch(`${srv.baseUrl}/tools`)).json()).tools.map((t) => t.name);
  check('inspector --cli tools/list: our tools, then the fixtures', () => {
    const res = inspect(apiKey, '--method', 'tools/list');
    if (res.code !== 0) throw new Error(`exit ${res.code}: ${res.stderr}`);
    const names = JSON.parse(res.stdout).tools.map((t) => t.name);
    equal(names.slice(0, ours.length), ours, 'our tools, in catalog order');
    const fixtures = names.slice(ours.length);
    equal(fixtures.filter((n) => !n.startsWith('test_') && n !== 'json_schema_2020_12_tool'), [], 'tools after ours that are not fixtures');
    equal(fixtures.length, 26, 'fixture tool count');
    return `${ours.length} of ours + ${fixtures.length} fixtures`;
  });

  const created = await fetch(`${srv.baseUrl}/services/data/v60.0/sobjects/Contact`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ FirstName: 'Ada', LastName: 'Inspector', Email: 'ada@inspector.test' }),
  });
  const { id } = await created.json();
  check('inspector --cli tools/call get_record: the contact written over REST', () => {
    const res = inspect(apiKey, '--method', 'tools/call', '--tool-name', 'get_record', '--tool-arg', `Id=${id}`);
    if (res.code !== 0) throw new Error(`exit ${res.code}: ${res.stdout}${res.stderr}`);
    const result = JSON.parse(res.stdout);
    equal(result.isError ?? false, false, 'isError');
    const record = result.structuredContent;
    equal([record.Id, record.FirstName, record.LastName, record.Email], [id, 'Ada', 'Inspector', 'ada@inspector.test'], 'record');
    equal(JSON.parse(result.content[0].text), record, 'text content equals structuredContent');
    return `Id ${id}`;
  });

  // Our 401 points at OAuth metadata, so the Inspector would start an OAuth flow; --stored-auth-only
  // makes it stop there and say auth_required instead.
  check('inspector --cli with an unknown key: auth_required, no tools', () => {
    const res = inspect('revops_live_unknown', '--stored-auth-only', '--method', 'tools/list');
    if (res.code === 0) throw new Error(`exit 0: ${res.stdout}`);
    const error = JSON.parse(res.stderr.trim().split('\n').pop()).error;
    equal(error.code, 'auth_required', 'error code');
    if (!error.message.includes('The API key is unknown, revoked or expired, or its user is deactivated.')) throw new Error(`not our 401 body: ${error.message}`);
    return `exit ${res.code}, ${error.code}`;
  });
}

function equal(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

function run(command, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (s) => { output += s; });
    child.stderr.setEncoding('utf8').on('data', (s) => { output += s; });
    const timer = setTimeout(() => { output += `\n(killed after ${timeoutMs} ms)`; child.kill('SIGKILL'); }, timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
}
