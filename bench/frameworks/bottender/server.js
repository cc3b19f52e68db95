// A Bottender (https://bottender.js.org) Messenger bot, run the way Bottender's "custom
// server" guide shows: Express with the raw body kept for the signature check. Bottender
// checks X-Hub-Signature (HMAC-SHA1), answers 200, and runs the action in index.js.
//
//   cd bench/frameworks/bottender && node server.js PORT
//   (WACHE_META_APP_SECRET: app secret; BENCH_API_BASE_URL: where the Send API is;
//   BENCH_PAGE_ID: the Facebook page of the webhooks)
const express = require('express');
const { bottender } = require('bottender');

const port = Number(process.argv[2]);
const app = bottender({ dev: false });
const handle = app.getRequestHandler();
app.prepare().then(() => {
  const server = express();
  server.use(express.json({ verify: (req, _, buf) => { req.rawBody = buf.toString(); } }));
  server.all('*', (req, res) => handle(req, res));
  server.listen(port, '127.0.0.1');
});
