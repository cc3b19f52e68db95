// The bot's action, which Bottender loads from index.js in its working folder: the same
// answers as the other Node.js bots of the benchmark (bench/bot_answers.cjs). Every message
// gets an answer (images the fallback), as Wache's shipped flows answer every message.
const { answerFor } = require('../../bot_answers.cjs');

module.exports = async function App(context) {
  await context.sendText(answerFor(context.event.isText ? context.event.text : ''));
};
