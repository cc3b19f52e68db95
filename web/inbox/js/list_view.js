// The list of handed-over conversations (urgent ones first, as the API sorts them). It is
// redrawn every few seconds, so it updates its items in place: an item keeps its element
// (and the keyboard focus on it) while its texts change, and only moves when the order does.

import { h, replaceChildren } from './dom.js';
import { t } from './i18n.js';
import { platformName, reasonText, stateText, stationName, windowState } from './labels.js';

export class ConversationList {
  // list: the <ul>; empty: the element that says there is nothing.
  constructor(list, empty) {
    this.list = list;
    this.empty = empty;
    this.items = new Map();  // id -> <li>
  }

  // conversations: as the API lists them. selectedId: the open one (marked aria-current).
  render(conversations, { me, selectedId, emptyText }) {
    const focused = document.activeElement;
    const wanted = new Set();
    conversations.forEach((conversation, index) => {
      const id = String(conversation.id);
      wanted.add(id);
      let li = this.items.get(id);
      if (!li) {
        li = h('li', { 'data-id': id }, h('a', { class: 'item-link', href: `#/c/${id}` }));
        this.items.set(id, li);
      }
      this.fill(li, conversation, me, id === String(selectedId));
      const at = this.list.children[index];
      if (at !== li) this.list.insertBefore(li, at || null);
    });
    for (const [id, li] of this.items) {
      if (!wanted.has(id)) {
        li.remove();
        this.items.delete(id);
      }
    }
    // Moving an element out of the document and back drops its focus: give it back.
    if (focused && focused !== document.activeElement && focused.isConnected) {
      focused.focus({ preventScroll: true });
    }
    this.empty.hidden = conversations.length > 0;
    this.empty.textContent = emptyText;
  }

  fill(li, conversation, me, selected) {
    li.classList.toggle('item-urgent', Boolean(conversation.urgent));
    const link = li.firstElementChild;
    if (selected) link.setAttribute('aria-current', 'true');
    else link.removeAttribute('aria-current');
    const window = windowState(conversation);
    const windowClass = window.kind === 'closed' ? 'window-closed'
      : window.kind === 'tag' ? 'window-tag' : '';
    replaceChildren(link,
      h('span', { class: 'item-line' },
        conversation.urgent ? h('span', { class: 'badge badge-urgent', text: t('urgent') }) : null,
        h('span', { class: 'item-title' },
          `${platformName(conversation.platform)} · ${stationName(conversation)}`)),
      h('span', { class: 'item-line item-meta' },
        h('span', { text: t('person', { person: conversation.person }) }),
        h('span', { text: stateText(conversation, me, true) })),
      h('span', { class: 'item-line item-meta', text: reasonText(conversation.reason) }),
      window.text ? h('span', { class: `item-line item-window ${windowClass}`, text: window.text })
        : null);
  }

  // Moves the keyboard focus to the next (+1) or previous (-1) conversation; from outside
  // the list, to the first one.
  focusNeighbour(step) {
    const links = [...this.list.querySelectorAll('.item-link')];
    if (links.length === 0) return;
    const at = links.indexOf(document.activeElement);
    const next = at < 0 ? 0 : Math.min(links.length - 1, Math.max(0, at + step));
    links[next].focus();
  }

  focusItem(id) {
    const li = this.items.get(String(id));
    if (li) li.firstElementChild.focus();
    return Boolean(li);
  }

  clear() {
    this.list.replaceChildren();
    this.items.clear();
  }
}
