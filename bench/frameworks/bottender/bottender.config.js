// Bottender reads this file from its working folder (bench/run.sh starts it here). Messenger
// only; sessions in memory, Bottender's default. `origin` points the Messenger client at the
// benchmark's fake platform API instead of graph.facebook.com.
module.exports = {
  session: { driver: 'memory', stores: { memory: { maxSize: 500 } } },
  channels: {
    messenger: {
      enabled: true,
      path: '/webhooks/messenger',
      pageId: process.env.BENCH_PAGE_ID,
      accessToken: process.env.WACHE_BENCH_TOKEN || 'bench-token',
      appId: '1',
      appSecret: process.env.WACHE_META_APP_SECRET,
      verifyToken: process.env.WACHE_META_VERIFY_TOKEN || 'verify',
      origin: process.env.BENCH_API_BASE_URL,
    },
  },
};
