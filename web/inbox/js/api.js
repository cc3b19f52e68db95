// The staff API (/staff/api on the same gateway) as the inbox uses it. Every call carries
// the token in the Authorization header; answers other than 2xx become an ApiError with the
// HTTP status and the server's JSON, which errors.js turns into words for staff.

// The most conversations the staff API lists in one answer (staff_api.cc, List: `limit`
// is 1..500).
export const LIST_LIMIT = 500;

// The longest reply the API accepts, in Unicode code points (staff_api.cc, Reply).
export const MAX_REPLY_CHARACTERS = 4096;

// A text's length as the API counts it: code points, so an emoji is one, not two.
export function characterCount(text) { return [...text].length; }

export class ApiError extends Error {
  // status: the HTTP status, or 0 when the gateway could not be reached.
  constructor(status, body) {
    super(body && body.error ? body.error : `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.body = body || {};
  }
}

export class StaffApi {
  // getToken: () => the current token. The API path is relative to the page (/staff/ ->
  // /staff/api), so the inbox also works behind a proxy that mounts it elsewhere.
  constructor(getToken) {
    this.getToken = getToken;
    this.base = new URL('api/', document.baseURI);
  }

  me() { return this.request('GET', 'me'); }

  // state: open | waiting | in_progress | closed | all; station: '' for all of one's own.
  // At most LIST_LIMIT come back (urgent first, then the longest waiting): an answer of
  // exactly that many may have left some out, and the page says so.
  conversations({ state = 'open', station = '' } = {}) {
    const query = new URLSearchParams({ state, limit: String(LIST_LIMIT) });
    if (station) query.set('station', station);
    return this.request('GET', `conversations?${query}`);
  }

  conversation(id) { return this.request('GET', `conversations/${encodeURIComponent(id)}`); }
  take(id) { return this.request('POST', `conversations/${encodeURIComponent(id)}/take`); }
  release(id) { return this.request('POST', `conversations/${encodeURIComponent(id)}/release`); }
  close(id) { return this.request('POST', `conversations/${encodeURIComponent(id)}/close`); }
  reply(id, text) {
    return this.request('POST', `conversations/${encodeURIComponent(id)}/reply`, { text });
  }

  // Checks a token before it is kept: the identity, or an ApiError (401 for a wrong one).
  static async identify(token) {
    return new StaffApi(() => token).me();
  }

  async request(method, path, json) {
    const headers = { Accept: 'application/json', Authorization: `Bearer ${this.getToken()}` };
    const init = { method, headers, cache: 'no-store', credentials: 'omit', redirect: 'error' };
    if (json !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(json);
    } else if (method === 'POST') {
      init.body = '';  // the server wants a Content-Length, also for an empty body
    }
    let response;
    try {
      response = await fetch(new URL(path, this.base), init);
    } catch {
      throw new ApiError(0, null);
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;  // a proxy's HTML error page, or nothing
    }
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }
}
