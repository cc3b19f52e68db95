// How a conversation's facts read for staff: platform names, the reason for the hand-over,
// its state and the platform's reply window. Shared by the list and the conversation view.

import { t, formatDuration, formatTime } from './i18n.js';

const PLATFORMS = { whatsapp: 'WhatsApp', messenger: 'Messenger', instagram: 'Instagram', x: 'X' };

export function platformName(platform) { return PLATFORMS[platform] || platform; }

export function stationName(conversation) {
  return conversation.station_name || conversation.station;
}

export function reasonText(reason) {
  if (typeof reason !== 'string') return '';
  if (reason.startsWith('flow:')) return t('reason_flow', { flow: reason.slice(5) });
  if (reason === 'not_understood_twice') return t('reason_not_understood');
  return reason;
}

export function outcomeText(outcome) {
  const key = `outcome_${outcome}`;
  const text = t(key);
  return text === key ? outcome : text;
}

// The state in a few words, from the point of view of `me` (the signed-in name).
export function stateText(conversation, me, forList) {
  const mine = conversation.assignee && conversation.assignee === me;
  switch (conversation.state) {
    case 'waiting':
      return forList ? t('item_waiting', { duration: formatDuration(conversation.waiting_seconds) })
        : t('state_label_waiting');
    case 'in_progress':
      if (mine) return t(forList ? 'item_in_progress_me' : 'state_label_in_progress_me');
      return t(forList ? 'item_in_progress' : 'state_label_in_progress',
        { name: conversation.assignee || '?' });
    case 'closed':
      return forList ? t('item_closed', { time: formatTime(conversation.closed_at) })
        : t('state_label_closed', { outcome: outcomeText(conversation.outcome) });
    default:
      return conversation.state;
  }
}

// { kind, text, short }: kind 'open' | 'tag' | 'closed' | 'none' (X) for styling and the
// reply box; text for the list ("reply window: 3 h left"), short for a labelled fact.
export function windowState(conversation) {
  const w = conversation.reply_window || {};
  if (conversation.state === 'closed') return { kind: 'closed', text: '', short: '' };
  if (!w.open) return { kind: 'closed', text: t('window_closed'), short: t('window_short_closed') };
  if (w.seconds_left === null || w.seconds_left === undefined) {
    return { kind: 'none', text: t('window_none'), short: t('window_short_none') };
  }
  if (w.human_agent_tag) {
    const text = t('window_tag', { duration: formatDuration(w.seconds_left) });
    return { kind: 'tag', text, short: text };
  }
  const duration = formatDuration(freeTextLeft(conversation));
  return {
    kind: 'open', text: t('window_open', { duration }), short: t('window_short_open', { duration }),
  };
}

// Seconds of the 24-hour window left. The API's seconds_left counts to the end of the whole
// window: 24 hours on WhatsApp, 7 days on Messenger and Instagram, where only the first 24
// hours allow a reply without the HUMAN_AGENT tag.
function freeTextLeft(conversation) {
  const left = conversation.reply_window.seconds_left;
  return conversation.platform === 'whatsapp' ? left : Math.max(0, left - 6 * 86400);
}

// The explanation above the reply box: what the platform allows now.
export function replyNote(conversation) {
  const platform = platformName(conversation.platform);
  if (conversation.state === 'closed') {
    return { kind: 'closed', text: t('note_conversation_closed') };
  }
  const w = conversation.reply_window || {};
  if (!w.open) {
    return {
      kind: 'closed',
      text: conversation.platform === 'whatsapp' ? t('note_closed_whatsapp')
        : t('note_closed_meta', { platform }),
    };
  }
  if (w.seconds_left === null || w.seconds_left === undefined) {
    return { kind: 'none', text: t('note_x') };
  }
  if (w.human_agent_tag) {
    return { kind: 'tag', text: t('note_tag', { duration: formatDuration(w.seconds_left) }) };
  }
  return {
    kind: 'open',
    text: t('note_open', { platform, duration: formatDuration(freeTextLeft(conversation)) }),
  };
}
