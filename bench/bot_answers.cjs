// The keyword answers of the Node.js bots that bench/run.sh measures beside Wache
// (node_bot.mjs, section 5; Bottender and BuilderBot in bench/frameworks, section 6), in one
// place so that every bot gives the same answers. First match wins; the emergency rule comes
// first, as in Wache. Words match anywhere in the text, ignoring case (BuilderBot's default).
const rules = [
  {
    words: ['hilfe', 'help', 'notruf', 'bedroht', 'threat', 'breaking in', 'einbruch', 'gewalt',
      '110', '112'],
    answer: 'If you are in danger now, call 110 (police). Wenn Sie in Gefahr sind: Notruf 110.',
  },
  {
    words: ['bewerb', 'apply', 'application', 'sporttest', 'ausbildung', 'studium', 'polizist'],
    answer: 'Everything about joining the police: requirements, process and sports test.',
  },
  {
    words: ['anzeige', 'report', 'gestohlen', 'stolen', 'betrug', 'fraud', 'diebstahl'],
    answer: 'Report a crime at the online police station. Do not send personal data here.',
  },
];
const fallback = 'Hello! This account is not monitored around the clock. In an emergency call 110.';

// The words are letters, digits and spaces: no regular-expression syntax to escape.
const patterns = rules.map((r) => new RegExp(r.words.join('|'), 'i'));

// The answer to `text` (images and other messages without text get the fallback).
function answerFor(text) {
  const i = patterns.findIndex((p) => p.test(text ?? ''));
  return i >= 0 ? rules[i].answer : fallback;
}

module.exports = { rules, fallback, answerFor };
