// The staff web inbox as staff use it, in headless Chromium against a real `wache serve`:
// conversations handed over on four platforms in three stations (one urgent), sign-in,
// the list with the urgent one on top, a conversation taken over and answered (the reply
// must arrive at the fake platform API, checked there like the real API checks it), handed
// back to the bot, closed; another station's agent sees none of it, not even by URL; the
// German/English switch; the security headers of the static files; the station filter
// sorted by name, the notice when the list reaches the API's limit, the reply counter and
// the refusal of a too long reply, why a reply was not delivered, no doubled full stops.
//
// Run: ctest --test-dir build -R web_inbox_e2e --output-on-failure
//  or: WACHE_BINARY=build/wache WACHE_FAKE_API=build/tests/fake_platform_server \
//      node --test tests/web/inbox.e2e.test.mjs

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ACCOUNTS, EMERGENCY, PEOPLE, STAFF, handOverScene, launchBrowser, startGateway, waitFor,
} from './harness.mjs';

const FB_PERSON = PEOPLE.messenger;
const REPLY = 'Guten Tag, hier ist Anna von der Polizei Köln. Sind Sie in Sicherheit?';

let gateway;
let browser;
let ids = {};

before(async () => {
  gateway = await startGateway();
  browser = await launchBrowser();
  ids = await handOverScene(gateway);
});

after(async () => {
  await browser?.close();
  await gateway?.stop();
});

// A browser context of one staff member (own session storage), in `locale`.
async function signedInPage(who, locale = 'de-DE') {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  watchScriptErrors(page);
  await page.goto(gateway.inboxUrl);
  await page.getByLabel(locale.startsWith('de') ? 'Zugangsschlüssel' : 'Access token')
    .fill(STAFF[who].token);
  await page.keyboard.press('Enter');
  await page.locator('#who-name', { hasText: STAFF[who].name }).waitFor();
  return page;
}

// Script errors in the page fail the test that closes it (done()).
const scriptErrors = new WeakMap();
function watchScriptErrors(page) {
  scriptErrors.set(page, []);
  page.on('pageerror', (error) => scriptErrors.get(page).push(error.message));
}
async function done(page) {
  const errors = scriptErrors.get(page) || [];
  await page.context().close();
  assert.deepEqual(errors, [], 'no script errors in the page');
}

function item(page, id) { return page.locator(`#conversation-list li[data-id="${id}"]`); }

describe('the staff inbox', () => {
  it('is served as static files with strict security headers and no way out of its folder', async () => {
    const page = await fetch(gateway.inboxUrl);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /^text\/html; charset=utf-8/);
    const csp = page.headers.get('content-security-policy');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    assert.doesNotMatch(await page.text(), /<script>|\son\w+="/, 'no inline script or handlers');
    const script = await fetch(`${gateway.inboxUrl}js/app.js`);
    assert.match(script.headers.get('content-type'), /^text\/javascript/);
    // (Request targets sent byte for byte, "..", encoded or not: web_inbox_server_test.cc;
    // fetch() would normalise them before sending.)
    for (const escape of ['js/', '.hidden', 'README.md', 'js/app.js~']) {
      const response = await fetch(`${gateway.inboxUrl}${escape}`);
      assert.equal(response.status, 404, escape);
    }
  });

  it('refuses a wrong token and signs a person in, showing who and their stations', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    watchScriptErrors(page);
    await page.goto(gateway.inboxUrl);
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    await page.getByLabel('Zugangsschlüssel').fill('not-a-token-of-anybody-here');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByText('Dieser Zugangsschlüssel ist nicht gültig').waitFor();
    assert.equal(await page.locator('#workspace').isVisible(), false);

    await page.getByLabel('Zugangsschlüssel').fill(STAFF.anna.token);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.locator('#who-name', { hasText: 'Anna (Köln)' }).waitFor();
    assert.match(await page.locator('#who-detail').textContent(), /Sachbearbeitung · Polizeipräsidium Köln/);
    assert.ok(!page.url().includes(STAFF.anna.token), 'the token is never in the address');
    // Signing out forgets the token: a reload shows the sign-in again.
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.reload();
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    await done(page);
  });

  it('lists only the own stations\' conversations, the urgent one on top and marked in words', async () => {
    const page = await signedInPage('anna');
    const rows = page.locator('#conversation-list li');
    await waitFor('two Köln conversations', async () => (await rows.count()) === 2);
    assert.equal(await rows.nth(0).getAttribute('data-id'), String(ids.messenger));
    assert.match(await rows.nth(0).textContent(), /Dringend.*Messenger · Polizeipräsidium Köln/);
    assert.match(await rows.nth(1).textContent(), /Instagram · Polizeipräsidium Köln/);
    assert.doesNotMatch(await rows.nth(1).textContent(), /Dringend/);
    const text = await page.locator('#conversation-list').textContent();
    assert.doesNotMatch(text, /WhatsApp|X ·|Dortmund|Karriere/);
    assert.match(text, /wartet seit/);
    assert.match(text, /Antwortfenster: noch/);
    await done(page);
  });

  it('opens, takes over and answers a conversation; the reply arrives at the platform', async () => {
    const page = await signedInPage('anna');
    // By keyboard: j to the first conversation, Enter to open it, t to take it over.
    await item(page, ids.messenger).waitFor();
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    const heading = page.locator('#conversation-heading');
    await heading.filter({ hasText: 'Messenger · Person' }).waitFor();
    const transcript = page.locator('#transcript');
    await transcript.getByText(EMERGENCY).waitFor();
    // The bot's replies name their flow and template.
    await transcript.getByText('Ablauf greeting · Textbaustein greeting.menu').waitFor();
    await transcript.getByText('Ablauf emergency · Textbaustein emergency.call_now').waitFor();
    assert.match(await page.locator('#window-note').textContent(), /Messenger erlaubt freie Antworten noch/);

    await page.keyboard.press('t');
    await page.locator('#conversation-facts', { hasText: 'in Bearbeitung bei Ihnen' }).waitFor();
    assert.equal(await page.locator('#take-button').isDisabled(), true);

    // Type, let the page refresh by itself, and find the text and the focus still there.
    const box = page.getByLabel('Ihre Antwort');
    await box.click();
    await box.pressSequentially('Guten Tag, ');
    const stamp = await page.locator('#list-updated').textContent();
    await waitFor('an automatic refresh', async () =>
      (await page.locator('#list-updated').textContent()) !== stamp, 8000, 100);
    assert.equal(await box.inputValue(), 'Guten Tag, ');
    assert.equal(await box.evaluate((el) => el === document.activeElement), true);
    await box.fill(REPLY);
    await page.keyboard.press('Control+Enter');

    // At the fake Graph API: the Page's path and token, the person as recipient, the text.
    const sent = await waitFor('the reply at the fake platform API', () =>
      gateway.accepted('messenger', FB_PERSON).find((r) => r.body?.message?.text === REPLY));
    assert.equal(sent.path, `/v23.0/${ACCOUNTS.messenger.platformId}/messages`);
    assert.equal(sent.authorization, `Bearer ${ACCOUNTS.messenger.token}`);
    assert.equal(sent.body.recipient.id, FB_PERSON);
    assert.equal(sent.body.messaging_type, 'RESPONSE');
    await waitFor('the box to be emptied once the reply is stored', async () =>
      (await box.inputValue()) === '');
    await transcript.locator('.entry-staff', { hasText: REPLY }).getByText('gesendet').waitFor();
    assert.match(await transcript.locator('.entry-staff').textContent(), /Anna \(Köln\) \(Team\)/);

    // Hand back to the bot: closed as released, off the open list, and the bot answers again.
    await page.getByRole('button', { name: 'An den Bot zurückgeben' }).click();
    await page.locator('#conversation-facts', { hasText: 'an den Bot zurückgegeben' }).waitFor();
    await item(page, ids.messenger).waitFor({ state: 'detached' });
    assert.equal(await box.isDisabled(), true);
    assert.match(await page.locator('#window-note').textContent(), /geschlossen/);
    const before = gateway.accepted('messenger', FB_PERSON).length;
    await gateway.send('messenger', FB_PERSON, 'Hallo');
    await waitFor('the bot to answer again', () => gateway.accepted('messenger', FB_PERSON).length > before);

    // Close the other one (Instagram, handed over after two misses).
    await page.keyboard.press('Escape');
    await item(page, ids.instagram).locator('a').click();
    await page.locator('#conversation-facts', { hasText: 'zweimal nicht verstanden' }).or(
      page.locator('#conversation-facts', { hasText: 'Übergabe im Ablauf' })).waitFor();
    await page.getByRole('button', { name: 'Abschließen' }).click();
    await page.locator('#conversation-facts', { hasText: 'geschlossen (abgeschlossen)' }).waitFor();
    await page.getByText('Keine offenen Gespräche').waitFor();
    await page.getByRole('radio', { name: 'Geschlossen' }).check();
    await item(page, ids.instagram).waitFor();
    await done(page);
  });

  it('shows another station\'s agent nothing of Köln, not even by URL', async () => {
    const page = await signedInPage('dirk');
    await item(page, ids.x).waitFor();
    for (const state of ['Offen', 'Geschlossen']) {
      await page.getByRole('radio', { name: state }).check();
      await page.waitForTimeout(300);
      const text = await page.locator('#conversation-list').textContent();
      assert.doesNotMatch(text, /Köln|Messenger|Instagram/, state);
    }
    await page.goto(`${gateway.inboxUrl}#/c/${ids.messenger}`);
    await page.getByText('gehört zu einer anderen Dienststelle').waitFor();
    const body = await page.locator('body').textContent();
    assert.ok(!body.includes(EMERGENCY) && !body.includes(REPLY), 'no text of the conversation');
    assert.equal(await page.locator('#conversation').isVisible(), false);
    // And the API itself refuses it.
    assert.equal((await gateway.api('GET', `conversations/${ids.messenger}`, STAFF.dirk.token)).status, 403);
    assert.equal((await gateway.api('POST', `conversations/${ids.messenger}/take`, STAFF.dirk.token)).status, 403);
    await done(page);
  });

  it('speaks German or English: the browser\'s language first, then the chosen one', async () => {
    const page = await signedInPage('leitstelle', 'en-GB');
    await page.getByRole('heading', { name: 'Handed-over conversations' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await item(page, ids.whatsapp).waitFor();
    assert.match(await page.locator('#conversation-list').textContent(), /waiting for/);
    await page.getByRole('button', { name: 'Auf Deutsch umschalten' }).click();
    await page.getByRole('heading', { name: 'Übergebene Gespräche' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    assert.match(await page.locator('#conversation-list').textContent(), /wartet seit/);
    assert.match(await page.locator('#who-detail').textContent(), /Leitung · alle Dienststellen/);
    await page.reload();  // the choice is remembered
    await page.getByRole('heading', { name: 'Übergebene Gespräche' }).waitFor();
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Handed-over conversations' }).waitFor();
    await done(page);
  });

  it('sorts the stations by name and says when the list is cut at the API\'s 500', async () => {
    const page = await signedInPage('leitstelle');
    // Ids dortmund < koeln < nrw-karriere; the names sort otherwise.
    await waitFor('the stations', async () => (await page.locator('#station-select option').count()) === 4);
    const names = (await page.locator('#station-select option').allTextContents()).slice(1);
    assert.deepEqual(names, ['Polizei NRW Karriere', 'Polizeipräsidium Dortmund', 'Polizeipräsidium Köln']);

    // An answer of exactly `limit` conversations: padded here, the real API lists at most 500.
    const limits = [];
    await page.route(/\/staff\/api\/conversations\?/, async (route) => {
      limits.push(new URL(route.request().url()).searchParams.get('limit'));
      const response = await route.fetch();
      const body = await response.json();
      const model = body.conversations.find((c) => !c.urgent) || body.conversations[0];
      for (let i = body.conversations.length; model && i < 500; i += 1) {
        body.conversations.push({ ...model, id: 900000 + i, urgent: false });
      }
      await route.fulfill({ response, json: body });
    });
    const summary = page.locator('#list-summary');
    await page.locator('#list-heading').click();
    await page.keyboard.press('u');  // refresh now
    await summary.filter({ hasText: 'Die ersten 500 werden gezeigt – wählen Sie eine Dienststelle, um einzugrenzen.' }).waitFor();
    assert.doesNotMatch(await summary.textContent(), /500 offen/, 'no total is claimed');
    assert.ok(limits.length > 0 && limits.every((l) => l === '500'), `asked for ${limits}`);
    await page.locator('#station-select').selectOption('dortmund');
    await summary.filter({ hasText: 'Die ersten 500 werden gezeigt – weitere sind hier nicht aufgeführt.' }).waitFor();
    await page.locator('#station-select').selectOption('');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await summary.filter({ hasText: 'Showing the first 500 – choose a station to narrow it down.' }).waitFor();
    await done(page);
  });

  it('counts a reply\'s characters as the API does and refuses one that is too long, keeping it whole', async () => {
    const page = await signedInPage('leitstelle');
    // A reply that was not delivered says why (the API's reason for a dead reply; added
    // here, the fake platform API does not refuse).
    const dead = [
      ['outside the 24-hour window (131047)', 'nicht zugestellt: außerhalb des 24-Stunden-Fensters'],
      ['gave up after 5 attempts: no answer from the platform (0)', 'nicht zugestellt: nach 5 Versuchen aufgegeben'],
      ['something new (42)', 'nicht zugestellt: something new (42)'],
    ];
    await page.route(new RegExp(`/staff/api/conversations/${ids.whatsapp}$`), async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      for (const [reason] of dead) {
        body.transcript.push({ at: body.opened_at, who: 'staff', staff: 'Test', text: reason, status: 'dead', reason });
      }
      await route.fulfill({ response, json: body });
    });
    await item(page, ids.whatsapp).locator('a').click();
    const transcript = page.locator('#transcript');
    for (const [, shown] of dead) await transcript.getByText(shown, { exact: true }).waitFor();

    const box = page.locator('#reply-text');
    assert.equal(await page.getByLabel('Ihre Antwort').getAttribute('id'), 'reply-text');
    const count = page.locator('#reply-count');
    const send = page.locator('#send-button');
    assert.equal(await count.textContent(), '0 / 4096 Zeichen');
    // 4096 emoji are 8192 UTF-16 units but 4096 characters for the API: allowed.
    await box.fill('👮'.repeat(4096));
    assert.equal(await count.textContent(), '4096 / 4096 Zeichen');
    assert.equal(await send.isDisabled(), false);
    assert.equal(await box.getAttribute('aria-invalid'), null);
    // One more: marked in words and a sign, Send off, Ctrl+Enter refused, nothing cut.
    const requests = gateway.fake.requests.length;
    await box.fill(`${'👮'.repeat(4096)}!`);
    assert.equal(await count.textContent(), '⚠ 4097 / 4096 Zeichen – 1 zu viel');
    assert.equal(await box.getAttribute('aria-invalid'), 'true');
    await page.locator('#reply-too-long', { hasText: 'Die Antwort ist zu lang: höchstens 4096 Zeichen.' }).waitFor();
    assert.equal(await send.isDisabled(), true);
    await box.press('Control+Enter');
    await page.locator('#conversation-error', { hasText: 'Die Antwort ist zu lang' }).waitFor();
    assert.equal(await box.evaluate((el) => [...el.value].length), 4097, 'the text is kept whole');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    assert.equal(await count.textContent(), '⚠ 4097 / 4096 characters – 1 too many');
    await transcript.getByText('not delivered: outside the 24-hour window', { exact: true }).waitFor();
    await box.fill('');
    assert.equal(await send.isDisabled(), false);
    assert.equal(gateway.fake.requests.length, requests, 'nothing went to the platform');

    // Durations end in a full stop in German ("5 T. 17 Std."): never a second one after them.
    const doubled = await page.evaluate(async () => {
      const i18n = await import(new URL('js/i18n.js', document.baseURI).href);
      const { TEXTS } = await import(new URL('js/texts.js', document.baseURI).href);
      const before = i18n.language();
      const found = [];
      for (const lang of ['de', 'en']) {
        i18n.setLanguage(lang);
        for (const key of Object.keys(TEXTS[lang]).filter((k) => TEXTS[lang][k].includes('{duration}'))) {
          for (const seconds of [20, 5 * 60, 3 * 3600 + 300, 5 * 86400 + 17 * 3600]) {
            const text = i18n.t(key, { duration: i18n.formatDuration(seconds), platform: 'Messenger' });
            if (text.includes('..')) found.push(text);
          }
        }
      }
      i18n.setLanguage('de');
      const tag = i18n.t('note_tag', { duration: i18n.formatDuration(5 * 86400 + 17 * 3600) });
      const name = i18n.t('signed_in', { name: 'Dr.' });  // a value's own dot ends the sentence
      i18n.setLanguage(before);
      return { found, tag, name };
    });
    assert.deepEqual(doubled.found, []);
    assert.match(doubled.tag, /Noch 5 T\. 17 Std\. geht Ihre Antwort/);
    assert.equal(doubled.name, 'Angemeldet als Dr.');
    await done(page);
  });
});
