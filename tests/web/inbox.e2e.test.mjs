// The staff web inbox as staff use it, in headless Chromium against a real `wache serve`:
// conversations handed over on four platforms in three stations (one urgent), sign-in,
// the list with the urgent one on top, a conversation taken over and answered (the reply
// must arrive at the fake platform API, checked there like the real API checks it), handed
// back to the bot, closed; another station's agent sees none of it, not even by URL; the
// German/English switch; the security headers of the static files.
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
    assert.equal(await box.inputValue(), '', 'the box is emptied once the reply is stored');
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
});
