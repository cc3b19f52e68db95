// Keyboard shortcuts. Single keys act only when the focus is not in a text field, so typing
// a reply never triggers them; sending is Ctrl+Enter inside the reply box (conversation_view).

import { h, isTyping, replaceChildren } from './dom.js';
import { t } from './i18n.js';

// What the help dialog lists: the keys (as shown) and what they do.
function table() {
  return [
    [['j', '↓'], 'sc_next'],
    [['k', '↑'], 'sc_prev'],
    [[t('key_enter')], 'sc_open'],
    [['t'], 'sc_take'],
    [['r'], 'sc_reply'],
    [[`${t('key_ctrl')}+${t('key_enter')}`], 'sc_send'],
    [[t('key_esc')], 'sc_back'],
    [['u'], 'sc_refresh'],
    [['?'], 'sc_help'],
  ];
}

export function renderShortcutHelp(dl) {
  replaceChildren(dl, table().map(([keys, what]) => [
    h('dt', {}, keys.map((key, i) => [i ? ' / ' : null, h('kbd', { text: key })])),
    h('dd', { text: t(what) }),
  ]));
}

// actions: { next, previous, take, reply, back, refresh, help }; inList(target) tells whether
// the arrow keys should move within the list (elsewhere they scroll the page as usual).
export function installShortcuts(actions, inList) {
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target)) return;
    if (document.querySelector('dialog[open]')) return;  // the dialog handles its own keys
    const key = event.key;
    const run = (action) => {
      event.preventDefault();
      action();
    };
    if (key === 'j' || (key === 'ArrowDown' && inList(event.target))) run(actions.next);
    else if (key === 'k' || (key === 'ArrowUp' && inList(event.target))) run(actions.previous);
    else if (key === 't') run(actions.take);
    else if (key === 'r') run(actions.reply);
    else if (key === 'u') run(actions.refresh);
    else if (key === '?') run(actions.help);
    else if (key === 'Escape') run(actions.back);
  });
}
