// A BuilderBot (https://builderbot.app) WhatsApp bot on its Meta (Cloud API) provider, as
// its quick start builds one: keyword flows, MemoryDB, the provider's own HTTP server.
//
//   node bench/frameworks/builderbot/bot.cjs PORT API_BASE_URL
//   (BENCH_PHONE_NUMBER_ID: the Cloud API phone number id of the webhooks)
//
// The provider has graph.facebook.com written into it, with no option to change it; an
// axios interceptor sends those calls to the benchmark's fake platform API instead.
// BuilderBot writes its logs (core.class.log, queue.class.log) to the working folder.
// What the provider does, measured as it ships (bench/README.md):
// - it checks no signature: any POST to /webhook is taken as coming from Meta;
// - one queue, one task at a time, at most one every 100 ms, takes both the incoming
//   messages and the send calls: about 10 calls a second, whatever the load.
const axios = require('axios');
const { createBot, createProvider, createFlow, addKeyword, MemoryDB, EVENTS } = require('@builderbot/bot');
const { MetaProvider } = require('@builderbot/provider-meta');

const { rules, fallback } = require('../../bot_answers.cjs');

const [port, apiBase] = [Number(process.argv[2]), process.argv[3]];
if (!port || !apiBase) {
  console.error('usage: node bot.cjs PORT API_BASE_URL');
  process.exit(2);
}
// The interceptor works only on the provider's own copy of axios.
const providerAxios = require.resolve('axios', { paths: [require.resolve('@builderbot/provider-meta')] });
if (providerAxios !== require.resolve('axios')) {
  console.error(`bot.cjs: the Meta provider uses another axios (${providerAxios}); see package-lock.json`);
  process.exit(2);
}
const graph = 'https://graph.facebook.com';
axios.interceptors.request.use((config) => {
  if (config.url?.startsWith(graph)) config.url = apiBase + config.url.slice(graph.length);
  return config;
});

// The same answers as the other Node.js bots (bench/bot_answers.cjs), a keyword flow per
// rule; BuilderBot tries the emergency flow first because it comes first.
const flows = rules.map((r) => addKeyword(r.words).addAnswer(r.answer));
const welcome = addKeyword(EVENTS.WELCOME).addAnswer(fallback);
const media = addKeyword(EVENTS.MEDIA).addAnswer(fallback);

(async () => {
  const provider = createProvider(MetaProvider, {
    jwtToken: process.env.WACHE_BENCH_TOKEN || 'bench-token',
    numberId: process.env.BENCH_PHONE_NUMBER_ID,
    verifyToken: process.env.WACHE_META_VERIFY_TOKEN || 'verify',
    version: 'v23.0',
  });
  const { httpServer } = await createBot({
    flow: createFlow([...flows, welcome, media]),
    provider,
    database: new MemoryDB(),
  });
  httpServer(port);
})();
