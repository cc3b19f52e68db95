// The signed-in staff member's token. Kept in sessionStorage: it lives as long as the
// browser tab, is not shared with other tabs or sent anywhere by the browser itself, and
// is never part of a URL (so it does not end up in the history, a proxy's log or a
// Referer header).

const KEY = 'wache.staff.token';

export function loadToken() {
  try {
    return sessionStorage.getItem(KEY) || '';
  } catch {
    return '';  // storage disabled: the staff member signs in again per page load
  }
}

export function saveToken(token) {
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    // Without storage the token lives in memory only (see app.js); nothing to do here.
  }
}

export function forgetToken() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}
