// The sign-in form: the staff member's personal token is checked against GET /me before it
// is kept, so a mistyped token is refused here and not on the first list.

import { ApiError, StaffApi } from './api.js';
import { byId } from './dom.js';
import { describeError } from './errors.js';
import { t } from './i18n.js';

export class SignInView {
  // onSignedIn(token, me): called with a token the gateway accepted.
  constructor(onSignedIn) {
    this.onSignedIn = onSignedIn;
    this.section = byId('signin');
    this.form = byId('signin-form');
    this.input = byId('token-input');
    this.error = byId('signin-error');
    this.button = byId('signin-button');
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
  }

  show() {
    this.section.hidden = false;
    this.input.value = '';
    this.setError('');
    this.input.focus();
  }

  hide() {
    this.section.hidden = true;
    this.input.value = '';  // the token lives in session storage only, not in the form
  }

  setError(message) {
    this.error.textContent = message;
    this.error.hidden = !message;
    if (message) this.input.setAttribute('aria-invalid', 'true');
    else this.input.removeAttribute('aria-invalid');
  }

  async submit() {
    const token = this.input.value.trim();
    if (!token) {
      this.setError(t('signin_empty'));
      this.input.focus();
      return;
    }
    this.button.disabled = true;
    this.button.textContent = t('signin_checking');
    try {
      const me = await StaffApi.identify(token);
      this.setError('');
      this.onSignedIn(token, me);
    } catch (error) {
      const unknown = error instanceof ApiError && error.status === 401;
      this.setError(unknown ? t('signin_wrong') : describeError(error, 'list'));
      this.input.focus();
      this.input.select();
    } finally {
      this.button.disabled = false;
      this.button.textContent = t('sign_in');
    }
  }
}
