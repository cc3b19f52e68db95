// The keyword answers of the reference bots that bench/run.sh measures beside Wache
// (node_bot.mjs and wache_bench_httplib_bot, section 5; Bottender and BuilderBot in
// bench/frameworks, section 6). The rules live in bot_answers.json, one list for every bot,
// which the C++ bot reads too. First match wins; the emergency rule comes first, as in Wache.
// Words match anywhere in the text, ignoring case (BuilderBot's default).
const { rules, fallback } = require('./bot_answers.json');

// The words are letters, digits and spaces: no regular-expression syntax to escape.
const patterns = rules.map((r) => new RegExp(r.words.join('|'), 'i'));

// The answer to `text` (images and other messages without text get the fallback).
function answerFor(text) {
  const i = patterns.findIndex((p) => p.test(text ?? ''));
  return i >= 0 ? rules[i].answer : fallback;
}

module.exports = { rules, fallback, answerFor };
