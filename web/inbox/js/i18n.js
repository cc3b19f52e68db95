// The inbox's language: German or English, switchable. The first visit follows the
// browser's language (German for de-*, English otherwise); a switch is remembered in
// localStorage (a preference, nothing personal). Also formats times and durations.

import { TEXTS } from './texts.js';

const STORAGE_KEY = 'wache.inbox.language';
export const LANGUAGES = ['de', 'en'];

let current = initialLanguage();

function initialLanguage() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (LANGUAGES.includes(saved)) return saved;
  } catch {
    // no storage: follow the browser
  }
  const preferred = navigator.languages && navigator.languages.length
    ? navigator.languages : [navigator.language || 'de'];
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

export function language() { return current; }

export function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // the choice lasts for this page only
  }
}

// The text of `key` with {name} placeholders filled from `values`. A value that ends in a
// full stop ("5 T. 17 Std.", "Dr.") swallows the sentence's own full stop right after it,
// as in print: never "Std..".
export function t(key, values = {}) {
  const template = TEXTS[current][key] ?? TEXTS.de[key] ?? TEXTS.en[key] ?? key;
  return template.replace(/\{(\w+)\}(\.?)/g, (whole, name, dot) => {
    if (!(name in values)) return whole;
    const value = String(values[name]);
    return value.endsWith('.') ? value : value + dot;
  });
}

// Fills every element with data-i18n="key" (its text) below `root`, and the page's lang
// and title.
export function applyStaticTexts(root = document) {
  document.documentElement.lang = current;
  document.title = t('page_title');
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}

// "2 h 5 min", "3 T. 4 Std.": long enough to act on, short enough for a list.
export function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(Number(seconds) || 0));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return t('dur_days', { d, h });
  if (h > 0) return t('dur_hours', { h, m });
  if (m > 0) return t('dur_minutes', { m });
  return t('dur_under_minute');
}

// A moment from the API ("2026-11-21T21:58:22Z") in the reader's language and time zone.
export function formatTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const locale = current === 'de' ? 'de-DE' : 'en-GB';
  const today = new Date();
  const sameDay = date.toDateString() === today.toDateString();
  return new Intl.DateTimeFormat(locale, sameDay
    ? { hour: '2-digit', minute: '2-digit' }
    : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(date);
}

export function formatClock(date) {
  const locale = current === 'de' ? 'de-DE' : 'en-GB';
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .format(date);
}
