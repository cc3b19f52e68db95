// The staff inbox's controller: sign-in state, the list and the open conversation, the
// refresh every few seconds, the address (#/c/ID opens a conversation, so the browser's
// back button works), the language switch and the keyboard shortcuts. Views draw; this
// file decides what to load and when.

import { ApiError, LIST_LIMIT, StaffApi } from './api.js';
import { byId } from './dom.js';
import { describeError } from './errors.js';
import {
  applyStaticTexts, formatClock, language, setLanguage, t,
} from './i18n.js';
import { platformName, stationName } from './labels.js';
import { ConversationList } from './list_view.js';
import { ConversationView } from './conversation_view.js';
import { installShortcuts, renderShortcutHelp } from './shortcuts.js';
import { forgetToken, loadToken, saveToken } from './session.js';
import { SignInView } from './signin_view.js';

const REFRESH_MS = 5000;
// After a reply, its delivery status is followed this many refreshes at most (a reply the
// platform keeps refusing would otherwise be fetched, and audited as viewed, for ever).
const FOLLOW_PENDING_REFRESHES = 12;

class InboxApp {
  constructor() {
    this.token = loadToken();
    this.api = new StaffApi(() => this.token);
    this.me = null;
    this.filter = { state: 'open', station: '' };
    this.conversations = [];
    this.knownIds = null;  // ids seen in the last list (null: nothing loaded yet)
    this.urgentIds = new Set();
    this.openId = null;
    this.fingerprint = '';
    this.extraFetches = 0;
    this.pendingFollows = 0;
    this.timer = null;
    this.refreshing = false;
    this.queued = null;  // a refresh asked for while one was running

    this.el = {
      who: byId('who'),
      whoName: byId('who-name'),
      whoDetail: byId('who-detail'),
      signOut: byId('sign-out-button'),
      language: byId('language-button'),
      shortcutsButton: byId('shortcuts-button'),
      shortcutsDialog: byId('shortcuts-dialog'),
      shortcutsList: byId('shortcuts-list'),
      shortcutsClose: byId('shortcuts-close'),
      announcer: byId('announcer'),
      pageError: byId('page-error'),
      workspace: byId('workspace'),
      stateFilter: byId('state-filter'),
      station: byId('station-select'),
      summary: byId('list-summary'),
      updated: byId('list-updated'),
    };
    this.signIn = new SignInView((token, me) => this.signedIn(token, me));
    this.list = new ConversationList(byId('conversation-list'), byId('list-empty'));
    this.view = new ConversationView({
      take: () => this.act('take'),
      release: () => this.act('release'),
      close: () => this.act('close'),
      reply: (text) => this.reply(text),
      refresh: () => this.refresh({ conversation: true }),
      back: () => this.back(),
    });
    this.wire();
  }

  wire() {
    const el = this.el;
    el.language.addEventListener('click', () => {
      setLanguage(language() === 'de' ? 'en' : 'de');
      this.applyLanguage();
    });
    el.signOut.addEventListener('click', () => this.signOut());
    el.shortcutsButton.addEventListener('click', () => el.shortcutsDialog.showModal());
    el.shortcutsClose.addEventListener('click', () => el.shortcutsDialog.close());
    el.stateFilter.addEventListener('change', (event) => {
      this.filter.state = event.target.value;
      this.refresh({ list: true });
    });
    el.station.addEventListener('change', () => {
      this.filter.station = el.station.value;
      this.refresh({ list: true });
    });
    window.addEventListener('hashchange', () => this.route());
    // A hidden tab does not poll; it catches up the moment it is shown again.
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && this.me) this.refresh({ list: true });
    });
    installShortcuts({
      next: () => this.list.focusNeighbour(1),
      previous: () => this.list.focusNeighbour(-1),
      take: () => { if (this.openId && !this.view.el.take.disabled) this.act('take'); },
      reply: () => this.view.focusReply(),
      back: () => this.back(),
      refresh: () => this.refresh({ list: true, conversation: true }),
      help: () => el.shortcutsDialog.showModal(),
    }, (target) => target instanceof Element && target.closest('#conversation-list') !== null);
  }

  async start() {
    this.applyLanguage();
    if (!this.token) {
      this.showSignIn();
      return;
    }
    try {
      this.signedIn(this.token, await this.api.me(), { quiet: true });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.expired();
      else {
        this.showSignIn();
        this.showPageError(describeError(error, 'list'));
      }
    }
  }

  applyLanguage() {
    applyStaticTexts();
    this.el.language.textContent = t('language_button');
    this.el.language.setAttribute('aria-label', t('language_button_label'));
    this.el.language.setAttribute('lang', language() === 'de' ? 'en' : 'de');
    renderShortcutHelp(this.el.shortcutsList);
    if (this.me) {
      this.renderIdentity();
      this.renderStations();  // "All my stations" in the new language, sorted for it
      this.renderList();
      if (this.view.conversation) this.view.render(this.view.conversation, this.me.name);
    }
  }

  // --- signing in and out ---------------------------------------------------------------

  showSignIn() {
    this.el.workspace.hidden = true;
    this.el.who.hidden = true;
    this.el.signOut.hidden = true;
    this.signIn.show();
  }

  signedIn(token, me, { quiet = false } = {}) {
    this.token = token;
    saveToken(token);
    this.me = me;
    this.signIn.hide();
    this.showPageError('');
    this.el.workspace.hidden = false;
    this.el.who.hidden = false;
    this.el.signOut.hidden = false;
    this.renderIdentity();
    this.renderStations();
    if (!quiet) this.announce(t('signed_in', { name: me.name }));
    this.route();
    this.refresh({ list: true });
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (!document.hidden) this.refresh({ list: true });
    }, REFRESH_MS);
  }

  signOut({ message = t('signed_out') } = {}) {
    clearInterval(this.timer);
    this.timer = null;
    forgetToken();
    this.token = '';
    this.me = null;
    this.conversations = [];
    this.knownIds = null;
    this.openId = null;
    this.list.clear();
    this.view.hide();
    // Nothing of what was shown stays in the page or the address.
    history.replaceState(null, '', location.pathname + location.search);
    this.showSignIn();
    this.announce(message);
  }

  expired() {
    this.signOut({ message: t('err_401') });
    this.showPageError(t('err_401'));
  }

  renderIdentity() {
    const me = this.me;
    const stations = me.stations === 'all' ? t('stations_all')
      : me.stations.map((id) => (me.station_names && me.station_names[id]) || id).join(', ');
    this.el.whoName.textContent = me.name;
    this.el.whoDetail.textContent = t('who_detail', { role: t(`role_${me.role}`), stations });
  }

  renderStations() {
    const select = this.el.station;
    const names = this.me.station_names || {};
    // By the name shown, in the page's language ("Kreis Borken" before "Kreis Coesfeld",
    // whatever their ids).
    const ids = Object.keys(names).sort((a, b) =>
      String(names[a] || a).localeCompare(String(names[b] || b), language()) || a.localeCompare(b));
    select.replaceChildren(new Option(t('station_all_mine'), ''),
      ...ids.map((id) => new Option(names[id] || id, id)));
    if (!ids.includes(this.filter.station)) this.filter.station = '';
    select.value = this.filter.station;
  }

  // --- the list -------------------------------------------------------------------------

  // Loads the list (and, when something in it changed, the open conversation).
  async refresh({ list = false, conversation = false } = {}) {
    if (!this.me) return;
    if (this.refreshing) {
      // One at a time; a change of filter during a refresh is loaded right after it.
      const queued = this.queued || {};
      this.queued = {
        list: list || queued.list, conversation: conversation || queued.conversation,
      };
      return;
    }
    this.refreshing = true;
    try {
      if (list) await this.loadList();
      if (this.openId && (conversation || this.conversationChanged())) {
        await this.loadConversation(this.openId);
      }
      this.showPageError('');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.expired();
      else this.showPageError(describeError(error, 'list'));
    } finally {
      this.refreshing = false;
    }
    if (this.queued) {
      const next = this.queued;
      this.queued = null;
      await this.refresh(next);
    }
  }

  async loadList() {
    const state = this.filter.state === 'urgent' ? 'open' : this.filter.state;
    const answer = await this.api.conversations({ state, station: this.filter.station });
    const all = answer.conversations || [];
    this.announceNews(all);
    this.conversations = all;
    this.renderList();
    this.el.updated.textContent = t('list_updated', { time: formatClock(new Date()) });
  }

  renderList() {
    const all = this.conversations;
    const shown = this.filter.state === 'urgent' ? all.filter((c) => c.urgent) : all;
    const state = this.filter.state;
    const urgent = all.filter((c) => c.urgent).length;
    if (all.length >= LIST_LIMIT) {
      // The API lists at most LIST_LIMIT: there may be more, so no total is claimed.
      const capped = t(this.filter.station ? 'list_summary_capped_station' : 'list_summary_capped',
        { limit: LIST_LIMIT });
      this.el.summary.textContent = urgent > 0 && (state === 'open' || state === 'urgent')
        ? `${capped} ${t('list_summary_capped_urgent', { urgent })}` : capped;
    } else if (state === 'open' || state === 'urgent') {
      this.el.summary.textContent = t('list_summary_open', { open: all.length, urgent });
    } else if (state === 'closed') {
      this.el.summary.textContent = t('list_summary_closed', { count: all.length });
    } else {
      this.el.summary.textContent = t('list_summary_count', { count: all.length });
    }
    const emptyText = state === 'open' ? t('list_empty_open')
      : state === 'urgent' ? t('list_empty_urgent') : t('list_empty_other');
    this.list.render(shown, { me: this.me.name, selectedId: this.openId, emptyText });
  }

  // Tells screen-reader users about conversations that arrived or became urgent.
  announceNews(conversations) {
    const ids = new Set(conversations.map((c) => c.id));
    const urgent = new Set(conversations.filter((c) => c.urgent).map((c) => c.id));
    if (this.knownIds !== null) {
      for (const c of conversations) {
        const values = { platform: platformName(c.platform), station: stationName(c) };
        if (c.urgent && !this.urgentIds.has(c.id)) this.announce(t('announce_new_urgent', values));
        else if (!this.knownIds.has(c.id)) this.announce(t('announce_new', values));
      }
    }
    this.knownIds = ids;
    this.urgentIds = urgent;
  }

  // --- the open conversation --------------------------------------------------------------

  route() {
    const match = /^#\/c\/(\d{1,18})$/.exec(location.hash);
    if (!this.me) return;
    if (match) {
      if (match[1] !== String(this.openId)) this.openConversation(match[1]);
    } else if (this.openId) {
      this.closeConversation();
    }
  }

  async openConversation(id) {
    this.openId = id;
    this.fingerprint = '';
    this.extraFetches = 0;
    this.pendingFollows = 0;
    this.el.workspace.classList.add('has-conversation');
    this.view.open();
    this.renderList();
    try {
      await this.loadConversation(id);
      this.view.focusHeading();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.expired();
      else this.view.unavailable(describeError(error, 'view'));
    }
  }

  async loadConversation(id) {
    const conversation = await this.api.conversation(id);
    if (String(this.openId) !== String(id)) return;  // another one was opened meanwhile
    this.fingerprint = fingerprintOf(conversation);
    const news = this.view.render(conversation, this.me.name);
    if (news) this.announce(t('announce_new_message'));
    const following = (conversation.transcript || [])
      .some((e) => e.status === 'pending' || e.status === 'inflight');
    this.pendingFollows = following ? Math.max(0, this.pendingFollows - 1) : 0;
  }

  // Whether the open conversation needs fetching again: its summary in the list changed
  // (a new message, another assignee, urgent, closed), once more after that (the bot's
  // answer to an emergency is stored a moment after the message), or a reply of ours is
  // still on its way. Each fetch is audited as a view, so unchanged ones are not fetched.
  conversationChanged() {
    const summary = this.conversations.find((c) => String(c.id) === String(this.openId));
    if (this.pendingFollows > 0) return true;
    if (this.extraFetches > 0) {
      this.extraFetches -= 1;
      return true;
    }
    if (!summary || !this.view.conversation) return false;
    // The list has fresher window times than the last fetch: show them without a fetch.
    this.view.render({ ...summary, transcript: this.view.conversation.transcript }, this.me.name);
    if (fingerprintOf(summary) !== this.fingerprint) {
      this.extraFetches = 1;
      return true;
    }
    return false;
  }

  closeConversation() {
    const id = this.openId;
    this.openId = null;
    this.el.workspace.classList.remove('has-conversation');
    this.view.hide();
    this.renderList();
    if (id && !this.list.focusItem(id)) byId('main').focus();
  }

  back() {
    if (this.el.shortcutsDialog.open) return;
    if (this.openId) history.pushState(null, '', '#/');
    this.route();
  }

  // take | release | close
  async act(action) {
    const id = this.openId;
    if (!id) return;
    this.view.setBusy(true);
    this.view.showError('');
    try {
      await this.api[action](id);
      this.announce(t(`done_${action}`));
      await this.loadConversation(id);
      await this.loadList();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.expired();
      else this.view.showError(describeError(error, action, this.view.conversation?.platform));
    } finally {
      this.view.setBusy(false);
    }
  }

  // Returns true when the reply was stored (the box is emptied as soon as it is).
  async reply(text) {
    const id = this.openId;
    if (!id) return false;
    this.view.setBusy(true);
    this.view.showError('');
    try {
      await this.api.reply(id, text);
      // Stored: empty the box now, not after the reloads below (a reload that fails must
      // not leave the text there to be sent twice).
      if (String(this.openId) === String(id)) this.view.replyStored();
      this.announce(t('done_reply'));
      this.pendingFollows = FOLLOW_PENDING_REFRESHES;
      await this.loadConversation(id);
      await this.loadList();
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.expired();
      else {
        this.view.showError(describeError(error, 'reply', this.view.conversation?.platform));
        // A 409 means the window or the state changed: show the current one.
        if (error instanceof ApiError && error.status === 409) {
          await this.loadConversation(id).catch(() => {});
        }
      }
      return false;
    } finally {
      this.view.setBusy(false);
    }
  }

  // --- messages to the reader ------------------------------------------------------------

  announce(message) {
    // Emptied first, so the same message twice in a row is announced twice.
    this.el.announcer.textContent = '';
    setTimeout(() => { this.el.announcer.textContent = message; }, 50);
  }

  showPageError(message) {
    this.el.pageError.textContent = message;
    this.el.pageError.hidden = !message;
  }
}

function fingerprintOf(c) {
  return JSON.stringify([c.state, c.assignee, c.urgent, c.last_message_at, c.last_staff_activity]);
}

new InboxApp().start();
