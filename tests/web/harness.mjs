// What the browser tests and the screenshot script stand on: a real `wache serve` with its
// own config, SQLite file and secrets in a temporary folder, its four accounts pointed at
// the fake platform API (fake_platform_server, the C++ fake as a process), signed webhooks
// sent with `wache send-test`, and Debian's Chromium driven by playwright-core.
//
// Binaries come from the environment (ctest sets them from the build tree):
//   WACHE_BINARY     the wache binary
//   WACHE_FAKE_API   the fake_platform_server binary
// Without them, build/wache and build/tests/fake_platform_server of the source tree.

import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const run = promisify(execFile);

export const SOURCE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const WACHE = process.env.WACHE_BINARY || path.join(SOURCE_DIR, 'build', 'wache');
const FAKE = process.env.WACHE_FAKE_API ||
  path.join(SOURCE_DIR, 'build', 'tests', 'fake_platform_server');
const CHROMIUM = process.env.WACHE_CHROMIUM || '/usr/bin/chromium';

// The accounts: one per platform, in three stations, as in the shipped demo config.
export const ACCOUNTS = {
  whatsapp: { id: 'nrw-recruiting', station: 'nrw-karriere', platformId: '100000000000001', token: 'wa-token-e2e' },
  messenger: { id: 'koeln-messenger', station: 'koeln', platformId: '200000000000002', token: 'fb-token-e2e' },
  instagram: { id: 'koeln-instagram', station: 'koeln', platformId: '17841400000000003', token: 'ig-token-e2e' },
  x: { id: 'dortmund-x', station: 'dortmund', platformId: '1400000000000000004', token: 'x-token-e2e' },
};

// Staff tokens (16+ characters): a supervisor for every station and one agent each for
// Köln and Dortmund.
export const STAFF = {
  leitstelle: { name: 'Leitstelle NRW', token: 'leitstelle-e2e-0123456789abcdef', role: 'supervisor', stations: '[all]' },
  anna: { name: 'Anna (Köln)', token: 'anna-koeln-e2e-0123456789abcdef', role: 'agent', stations: '[koeln]' },
  dirk: { name: 'Dirk (Dortmund)', token: 'dirk-dortmund-e2e-0123456789abc', role: 'agent', stations: '[dortmund]' },
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

// Polls `check` (async, returns a value or a falsy one) until it gives a value.
export async function waitFor(what, check, timeoutMs = 10000, everyMs = 50) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

// The fake platform API: every request it answered, as recorded (see fake_platform_server.cc).
async function startFake() {
  const args = [];
  for (const [platform, a] of Object.entries(ACCOUNTS)) args.push(`--${platform}`, `${a.platformId}=${a.token}`);
  const child = spawn(FAKE, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const requests = [];
  const lines = readline.createInterface({ input: child.stdout });
  const port = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`fake_platform_server exited with ${code}`)));
    lines.once('line', (line) => resolve(JSON.parse(line).port));
  });
  lines.on('line', (line) => requests.push(JSON.parse(line)));
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    stop() { child.stdin.end(); child.kill('SIGTERM'); },
  };
}

// Top-level sections of the shipped config/wache.yaml, as written there: the test runs with
// the demo's stations, variables and calendar, and follows them when they change.
function shippedSections(names) {
  const text = fs.readFileSync(path.join(SOURCE_DIR, 'config', 'wache.yaml'), 'utf8');
  let keep = false;
  const kept = [];
  for (const line of text.split('\n')) {
    const key = /^([A-Za-z_]+):/.exec(line);
    if (key) keep = names.includes(key[1]);
    else if (/^\S/.test(line)) keep = false;  // a comment at the margin ends a section
    if (keep) kept.push(line);
  }
  return `${kept.join('\n')}\n`;
}

function configYaml({ dir, fakeUrl, port }) {
  const meta = `    app_secret: { file: app_secret }\n    verify_token: { file: verify_token }\n` +
    `    api_base_url: ${fakeUrl}\n    api_version: v23.0\n`;
  const accounts = Object.entries(ACCOUNTS).map(([platform, a]) =>
    `  - { id: ${a.id}, name: "${a.id} (test)", station: ${a.station}, platform: ${platform}, ` +
    `platform_id: "${a.platformId}", credentials: { access_token: { file: token_${platform} } } }\n`).join('');
  const staff = Object.entries(STAFF).map(([key, s]) =>
    `  - { name: "${s.name}", token: { file: staff_${key} }, role: ${s.role}, stations: ${s.stations} }\n`).join('');
  return `# Written by tests/web/harness.mjs for one test run.
flows: ${path.join(SOURCE_DIR, 'flows')}
templates: ${path.join(SOURCE_DIR, 'templates')}
database: ${path.join(dir, 'wache.db')}
server:
  host: 127.0.0.1
  port: ${port}
  workers: 2
  send_timeout_seconds: 2
  retention_days: 0
  reload_watch_seconds: 0
  web_dir: ${path.join(SOURCE_DIR, 'web', 'inbox')}
platforms:
  whatsapp:
${meta}    pacing: off
  messenger:
${meta}  instagram:
${meta}  x:
    consumer_secret: { file: consumer_secret }
    api_base_url: ${fakeUrl}
    send_api: v2
    dm_budget: off
${shippedSections(['defaults', 'stations'])}accounts:
${accounts}staff:
${staff}`;
}

// Starts the fake platform API and `wache serve`; returns what the tests need.
export async function startGateway() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wache-web-'));
  const write = (name, text) => fs.writeFileSync(path.join(dir, name), `${text}\n`, { mode: 0o600 });
  write('app_secret', 'e2e-app-secret');
  write('verify_token', 'e2e-verify-token');
  write('consumer_secret', 'e2e-consumer-secret');
  for (const [platform, a] of Object.entries(ACCOUNTS)) write(`token_${platform}`, a.token);
  for (const [key, s] of Object.entries(STAFF)) write(`staff_${key}`, s.token);

  const fake = await startFake();
  const port = await freePort();
  const config = path.join(dir, 'wache.yaml');
  fs.writeFileSync(config, configYaml({ dir, fakeUrl: fake.baseUrl, port }));
  const logPath = path.join(dir, 'serve.log');
  const log = fs.openSync(logPath, 'a');
  const serve = spawn(WACHE, ['serve', '--config', config, '--port', String(port), '--log-format', 'text'],
    { stdio: ['ignore', log, log] });
  const baseUrl = `http://127.0.0.1:${port}`;
  let exited = null;
  serve.on('exit', (code) => { exited = code; });
  try {
    await waitFor('wache serve to answer /healthz', async () => {
      if (exited !== null) throw new Error(`wache serve exited with ${exited}`);
      try {
        return (await fetch(`${baseUrl}/healthz`)).ok;
      } catch {
        return false;
      }
    }, 15000);
  } catch (error) {
    fake.stop();
    throw new Error(`${error.message}; its log:\n${fs.readFileSync(logPath, 'utf8')}`);
  }

  const gateway = {
    dir,
    baseUrl,
    inboxUrl: `${baseUrl}/staff/`,
    fake,
    log: () => fs.readFileSync(logPath, 'utf8'),

    // One signed webhook, the way the platform sends it (wache send-test signs it).
    async send(platform, sender, text) {
      const { stdout } = await run(WACHE, ['send-test', '--config', config, '--url', baseUrl,
        '--platform', platform, '--account', ACCOUNTS[platform].id, '--sender', sender, '--text', text]);
      if (!stdout.includes('HTTP 200')) throw new Error(`webhook not accepted: ${stdout}`);
    },

    // The staff API directly (what a browser would get by URL).
    async api(method, apiPath, token) {
      const response = await fetch(`${baseUrl}/staff/api/${apiPath}`, {
        method, headers: { Authorization: `Bearer ${token}` }, body: method === 'POST' ? '' : undefined,
      });
      return { status: response.status, body: await response.json().catch(() => null) };
    },

    senders: new Map(),  // hand-over id -> the person's platform id (handOver fills it)

    // Requests to the fake for `platform` to `recipient`, accepted ones only.
    accepted(platform, recipient) {
      return fake.requests.filter((r) => r.platform === platform && r.recipient === recipient &&
        r.status >= 200 && r.status < 300);
    },

    async stop() {
      serve.kill('SIGTERM');
      await new Promise((resolve) => (exited !== null ? resolve() : serve.once('exit', resolve)));
      fake.stop();
      fs.closeSync(log);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return gateway;
}

// Hands a conversation over to staff: "Hallo", then "3" (the greeting's "something else",
// a step with handover: true). Returns the hand-over's id.
export async function handOver(gateway, platform, sender) {
  const before = await gateway.api('GET', 'conversations?state=open', STAFF.leitstelle.token);
  const known = new Set(before.body.conversations.map((c) => c.id));
  await gateway.send(platform, sender, 'Hallo');
  await waitFor(`the greeting to ${sender}`, () => gateway.accepted(platform, sender).length >= 1);
  await gateway.send(platform, sender, '3');
  const opened = await waitFor(`the hand-over of ${sender}`, async () => {
    const { body } = await gateway.api('GET', 'conversations?state=open', STAFF.leitstelle.token);
    return body.conversations.find((c) => !known.has(c.id) && c.platform === platform);
  });
  gateway.senders.set(opened.id, sender);
  return opened.id;
}

// Hands over by two messages the bot does not understand (the fallback's second miss).
export async function handOverByMisses(gateway, platform, sender) {
  const before = await gateway.api('GET', 'conversations?state=open', STAFF.leitstelle.token);
  const known = new Set(before.body.conversations.map((c) => c.id));
  await gateway.send(platform, sender, 'Xylophon Quark Zebra');
  await waitFor(`the fallback to ${sender}`, () => gateway.accepted(platform, sender).length >= 1);
  await gateway.send(platform, sender, 'Blubb Flarp Wobble');
  const opened = await waitFor(`the hand-over of ${sender}`, async () => {
    const { body } = await gateway.api('GET', 'conversations?state=open', STAFF.leitstelle.token);
    return body.conversations.find((c) => !known.has(c.id) && c.platform === platform);
  });
  gateway.senders.set(opened.id, sender);
  return opened.id;
}

// Debian's Chromium, headless, driven by playwright-core (`npx playwright install` cannot
// download browsers here, and need not). Playwright gives every launch a fresh temporary
// profile (--user-data-dir), deleted on close; each context has its own storage, so each
// staff member signs in in a context of their own.
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// The scene of the tests and screenshots: conversations handed over on four platforms in
// three stations (WhatsApp: NRW Karriere; Messenger and Instagram: Köln; X: Dortmund), the
// Instagram one after two misses, and an emergency in the waiting Messenger one (urgent).
// Returns the hand-over ids by platform.
export const PEOPLE = { whatsapp: '4915100000077', messenger: '7001', instagram: '9001', x: '8001' };
export const EMERGENCY = 'Hilfe, jemand bricht gerade bei mir ein';

export async function handOverScene(gateway) {
  const ids = {};
  // Each person's messages in order, the people at once.
  [ids.whatsapp, ids.messenger, ids.instagram, ids.x] = await Promise.all([
    handOver(gateway, 'whatsapp', PEOPLE.whatsapp),
    handOver(gateway, 'messenger', PEOPLE.messenger),
    handOverByMisses(gateway, 'instagram', PEOPLE.instagram),
    handOver(gateway, 'x', PEOPLE.x),
  ]);
  await gateway.send('messenger', PEOPLE.messenger, EMERGENCY);
  await waitFor('the Messenger hand-over to turn urgent', async () => {
    const { body } = await gateway.api('GET', `conversations/${ids.messenger}`, STAFF.leitstelle.token);
    return body.urgent && body.transcript.some((e) => e.template === 'emergency.call_now');
  });
  return ids;
}
