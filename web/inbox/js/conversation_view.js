// One conversation: who and where, the transcript (person, bot with its flow and template,
// staff), the actions (take over, hand back to the bot, close) and the reply box, which
// says what the platform allows now. Redrawn on every refresh without touching the reply
// being typed or the element that has the keyboard focus.

import { MAX_REPLY_CHARACTERS, characterCount } from './api.js';
import { byId, h, replaceChildren } from './dom.js';
import { formatTime, language, t } from './i18n.js';
import {
  platformName, reasonText, replyNote, stateText, stationName, windowState,
} from './labels.js';

const MEDIA_KINDS = ['image', 'audio', 'video', 'location', 'sticker'];

// The text of `key` with each {name} shown as a <code> element holding values[name].
function withCode(key, values) {
  return t(key).split(/(\{\w+\})/).map((part) => {
    const name = /^\{(\w+)\}$/.exec(part);
    return name && name[1] in values ? h('code', { text: values[name[1]] }) : part;
  });
}

// Why a reply was not delivered, from the outbox's last error (fixed phrases of the gateway
// with the platform's error code, never a text): the common ones in words, others as they are.
const DEAD_REASONS = [
  [/^staff reply outside the platform's window/, 'dead_staff_window'],
  [/outside the 24-hour window/, 'dead_window'],
  [/recipient cannot be reached/, 'dead_unreachable'],
  [/recipient does not accept messages/, 'dead_not_accepted'],
  [/access token invalid or expired/, 'dead_token'],
  [/platform rejected the request as invalid/, 'dead_invalid'],
  [/platform refused the message/, 'dead_refused'],
  [/no send target for account/, 'dead_no_target'],
];

export function deadReasonText(reason) {
  const text = String(reason);
  const found = DEAD_REASONS.find(([pattern]) => pattern.test(text));
  const words = found ? t(found[1]) : '';
  const attempts = /^gave up after (\d+) attempts/.exec(text);
  if (attempts) {
    const gaveUp = t('dead_gave_up', { attempts: attempts[1] });
    return words ? `${gaveUp} (${words})` : gaveUp;
  }
  return words || text;
}

function statusText(entry) {
  if (entry.status === 'dead' && entry.reason) {
    return t('status_dead_because', { reason: deadReasonText(entry.reason) });
  }
  return t(`status_${entry.status}`);
}

export class ConversationView {
  // handlers: { take, release, close, reply(text), refresh, back }
  constructor(handlers) {
    this.handlers = handlers;
    this.el = {
      article: byId('conversation'),
      placeholder: byId('conversation-placeholder'),
      unavailable: byId('conversation-unavailable'),
      heading: byId('conversation-heading'),
      badges: byId('conversation-badges'),
      facts: byId('conversation-facts'),
      error: byId('conversation-error'),
      take: byId('take-button'),
      release: byId('release-button'),
      close: byId('close-button'),
      refresh: byId('refresh-button'),
      back: byId('back-button'),
      transcript: byId('transcript'),
      form: byId('reply-form'),
      note: byId('window-note'),
      text: byId('reply-text'),
      hint: byId('reply-hint'),
      count: byId('reply-count'),
      tooLong: byId('reply-too-long'),
      send: byId('send-button'),
    };
    this.conversation = null;
    this.me = '';
    this.busy = false;
    this.transcriptKey = '';
    const el = this.el;
    el.take.addEventListener('click', () => handlers.take());
    el.release.addEventListener('click', () => handlers.release());
    el.close.addEventListener('click', () => handlers.close());
    el.refresh.addEventListener('click', () => handlers.refresh());
    el.back.addEventListener('click', () => handlers.back());
    el.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    el.text.addEventListener('input', () => this.updateCount());
    el.text.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.submit();
      }
    });
  }

  get id() { return this.conversation ? this.conversation.id : null; }

  // A new conversation: forget the previous one's transcript and error.
  open() {
    this.conversation = null;
    this.transcriptKey = '';
    this.el.transcript.replaceChildren();
    this.el.text.value = '';
    this.updateCount();
    this.showError('');
    this.el.placeholder.hidden = true;
    this.el.unavailable.hidden = true;
    this.el.article.hidden = false;
  }

  hide() {
    this.conversation = null;
    this.el.article.hidden = true;
    this.el.placeholder.hidden = false;
    this.el.unavailable.hidden = true;
  }

  // The conversation cannot be shown (another station's, unknown): only the reason is.
  unavailable(message) {
    this.hide();
    this.el.unavailable.textContent = message;
    this.el.unavailable.hidden = false;
  }

  // Draws `conversation` (the API's answer with its transcript) for the member named `me`.
  // Returns true if the transcript shows something new.
  render(conversation, me) {
    const previous = this.conversation;
    this.conversation = conversation;
    this.me = me;
    const el = this.el;
    el.heading.textContent = t('conversation_heading', {
      platform: platformName(conversation.platform), person: conversation.person,
    });
    replaceChildren(el.badges,
      conversation.urgent ? h('span', { class: 'badge badge-urgent', text: t('urgent') }) : null,
      h('span', { class: 'badge badge-platform', text: platformName(conversation.platform) }),
      h('span', { class: 'badge', text: t(`state_${conversation.state}`) }));
    const window = windowState(conversation);
    const facts = [
      ['fact_station', stationName(conversation)],
      ['fact_account', conversation.account_name || conversation.account],
      ['fact_state', stateText(conversation, me, false)],
      ['fact_reason', reasonText(conversation.reason)],
      ['fact_opened', formatTime(conversation.opened_at)],
      ['fact_last_message', formatTime(conversation.last_message_at)],
      ['fact_window', window.short],
    ].filter(([, value]) => value);
    replaceChildren(el.facts, facts.map(([key, value]) =>
      [h('dt', { text: t(key) }), h('dd', { text: value })]));
    this.updateControls();
    return this.renderTranscript(conversation.transcript || [], previous);
  }

  updateControls() {
    const c = this.conversation;
    const el = this.el;
    if (!c) return;
    const open = c.state !== 'closed';
    const mine = c.state === 'in_progress' && c.assignee === this.me;
    el.take.disabled = this.busy || !open || mine;
    el.release.disabled = this.busy || !open;
    el.close.disabled = this.busy || !open;
    const note = replyNote(c);
    el.note.textContent = note.text;
    el.note.className = 'window-note';
    el.note.classList.toggle('is-tag', note.kind === 'tag');
    el.note.classList.toggle('is-closed', note.kind === 'closed');
    const mayReply = open && note.kind !== 'closed';
    // The text stays when replying becomes impossible: the writer may want to copy it.
    el.text.disabled = !mayReply;
    el.send.disabled = this.busy || !mayReply || this.tooLong();
    el.hint.textContent = mayReply ? t('reply_hint') : '';
    this.updateCount();
  }

  // Whether the reply box holds more than the API accepts (counted as the API counts).
  tooLong() { return characterCount(this.el.text.value) > MAX_REPLY_CHARACTERS; }

  // The counter under the reply box ("123 / 4096 characters"); over the limit it says how
  // many too many with a sign, the box is marked invalid and Send is off. The text itself
  // stays whole: the writer decides what to cut.
  updateCount() {
    const el = this.el;
    const count = characterCount(el.text.value);
    const max = MAX_REPLY_CHARACTERS;
    const over = count > max;
    el.count.textContent = over ? t('reply_count_over', { count, max, over: count - max })
      : t('reply_count', { count, max });
    el.count.classList.toggle('is-over', over);
    if (over) el.text.setAttribute('aria-invalid', 'true');
    else el.text.removeAttribute('aria-invalid');
    // Shown once when the limit is crossed (role=alert), not re-announced on every key.
    const message = over ? t('reply_too_long', { max }) : '';
    if (el.tooLong.textContent !== message) el.tooLong.textContent = message;
    el.tooLong.hidden = !over;
    const mayReply = !el.text.disabled;
    el.send.disabled = this.busy || !mayReply || over;
  }

  renderTranscript(entries, previous) {
    // The language too: after a switch the statuses and labels are drawn again.
    const key = `${language()} ${JSON.stringify(entries)}`;
    if (key === this.transcriptKey) return false;
    const grew = previous && previous.id === this.conversation.id &&
      entries.filter((e) => e.who === 'person').length >
      (previous.transcript || []).filter((e) => e.who === 'person').length;
    this.transcriptKey = key;
    const pane = this.el.transcript;  // it scrolls; the rest of the view stays
    const atBottom = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 80;
    if (entries.length === 0) {
      replaceChildren(this.el.transcript, h('li', { class: 'hint', text: t('transcript_empty') }));
    } else {
      replaceChildren(this.el.transcript, entries.map((entry) => this.entry(entry)));
    }
    if (atBottom || !previous) pane.scrollTop = pane.scrollHeight;
    return Boolean(grew);
  }

  entry(entry) {
    const who = entry.who === 'person' ? t('who_person')
      : entry.who === 'bot' ? t('who_bot') : t('who_staff', { name: entry.staff || '?' });
    const head = h('p', { class: 'entry-head' },
      h('span', { class: 'entry-who', text: who }),
      h('time', { datetime: entry.at, text: formatTime(entry.at) }),
      entry.button ? h('span', { text: t('entry_button') }) : null,
      entry.status ? h('span', {
        class: `entry-status entry-status-${entry.status}`,
        text: statusText(entry),
      }) : null);
    let body;
    if (entry.media) {
      const kind = MEDIA_KINDS.includes(entry.media) ? t(`media_${entry.media}`) : t('media_other');
      body = h('p', { class: 'entry-text entry-media', text: t('entry_media', { kind }) });
      if (entry.text) body.append(` ${entry.text}`);
    } else {
      body = h('p', { class: 'entry-text', text: entry.text || '' });
    }
    let source = null;
    if (entry.who === 'bot' && entry.template) {
      // Which flow and template the bot used, so staff can tell editors what to change.
      source = h('p', { class: 'entry-source' }, entry.flow
        ? withCode('source_flow', { flow: entry.flow, template: entry.template })
        : withCode('source_no_flow', { template: entry.template }));
    }
    return h('li', { class: `entry entry-${entry.who}` }, head, body, source);
  }

  async submit() {
    const text = this.el.text.value;
    if (this.el.text.disabled || this.busy) return;
    if (!text.trim()) {
      this.showError(t('reply_empty'));
      this.el.text.focus();
      return;
    }
    if (this.tooLong()) {
      // Ctrl+Enter reaches here with Send disabled: refuse in words, keep the text.
      this.showError(t('reply_too_long', { max: MAX_REPLY_CHARACTERS }));
      this.el.text.focus();
      return;
    }
    await this.handlers.reply(text);
  }

  // The reply was stored: the box is emptied (called by the controller at once).
  replyStored() {
    this.el.text.value = '';
    this.updateCount();
  }

  setBusy(busy) {
    this.busy = busy;
    this.el.article.setAttribute('aria-busy', busy ? 'true' : 'false');
    this.updateControls();
  }

  showError(message) {
    this.el.error.textContent = message;
    this.el.error.hidden = !message;
  }

  // preventScroll: the pane shows the newest messages, not the top.
  focusHeading() { this.el.heading.focus({ preventScroll: true }); }
  focusReply() { if (!this.el.text.disabled) this.el.text.focus(); }
  hasReplyFocus() { return document.activeElement === this.el.text; }
}
