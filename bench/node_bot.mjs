// node_bot.mjs: the least a Node.js WhatsApp bot does for each message, as a reference for
// bench/run.sh (section 5). What a user might write instead of Wache, or what a Node chat-bot
// framework does at the least: no framework, no storage, one process.
//
//   node bench/node_bot.mjs PORT API_BASE_URL      (app secret in WACHE_META_APP_SECRET)
//
// For each POST /webhook/whatsapp it checks X-Hub-Signature-256 over the raw body, parses
// the JSON, answers 200 at once, then for each text message picks an answer by keyword
// (emergency first, as Wache does) and POSTs it to the Cloud API, then marks the message
// read: the same three HTTP exchanges per message as Wache. It does not keep the message:
// one that arrives while the process dies is lost (Wache commits and fsyncs it before its
// 200), and nothing is retried. Connections to the API are kept alive, like Wache's.
import crypto from 'node:crypto';
import http from 'node:http';

import { answerFor } from './bot_answers.cjs';

const [port, apiBase] = [Number(process.argv[2]), process.argv[3]];
const secret = process.env.WACHE_META_APP_SECRET;
if (!port || !apiBase || !secret) {
  console.error('usage: WACHE_META_APP_SECRET=... node node_bot.mjs PORT API_BASE_URL');
  process.exit(2);
}
const token = process.env.WACHE_BENCH_TOKEN || 'bench-token';
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const api = new URL(apiBase);

function post(path, body) {
  const data = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = http.request({
      agent, host: api.hostname, port: api.port, path, method: 'POST',
      headers: {
        'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data),
        Authorization: `Bearer ${token}`,
      },
    }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', resolve);  // nothing is retried
    req.end(data);
  });
}

async function answer(phoneNumberId, message) {
  const reply = answerFor(message.text?.body);
  const path = `/v23.0/${phoneNumberId}/messages`;
  await post(path, {
    messaging_product: 'whatsapp', recipient_type: 'individual', to: message.from,
    type: 'text', text: { body: reply },
  });
  await post(path, { messaging_product: 'whatsapp', status: 'read', message_id: message.id });
}

function validSignature(header, body) {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const expected = crypto.createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(header.slice(7), 'hex');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/webhook/whatsapp') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (!validSignature(req.headers['x-hub-signature-256'], body)) {
      res.writeHead(403).end();
      return;
    }
    let update;
    try {
      update = JSON.parse(body);
    } catch {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('EVENT_RECEIVED');
    for (const entry of update.entry ?? []) {
      for (const change of entry.changes ?? []) {
        const value = change.value ?? {};
        for (const message of value.messages ?? []) {
          answer(value.metadata?.phone_number_id, message);
        }
      }
    }
  });
}).listen(port, '127.0.0.1', 1024);
