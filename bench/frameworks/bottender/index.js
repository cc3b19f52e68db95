// The bot's action, which Bottender loads from index.js in its working folder: the same
// answers as bench/node_bot.mjs, the emergency rule first. Every message gets an answer
// (images the fallback), as Wache's shipped flows answer every message.
const emergency = /hilfe|help|notruf|bedroht|threat|breaking in|einbruch|gewalt|110|112/i;
const rules = [
  [/bewerb|apply|application|sporttest|ausbildung|studium|polizist/i,
    'Everything about joining the police: requirements, process and sports test.'],
  [/anzeige|report|gestohlen|stolen|betrug|fraud|diebstahl/i,
    'Report a crime at the online police station. Do not send personal data here.'],
];

module.exports = async function App(context) {
  const text = context.event.isText ? context.event.text : '';
  if (emergency.test(text)) {
    await context.sendText('If you are in danger now, call 110 (police). Wenn Sie in Gefahr sind: Notruf 110.');
    return;
  }
  const rule = rules.find(([pattern]) => pattern.test(text));
  await context.sendText(rule ? rule[1]
    : 'Hello! This account is not monitored around the clock. In an emergency call 110.');
};
