// Takes the screenshots of the staff inbox in docs/inbox/ from a real run: the same
// gateway, fake platform API and hand-overs as the browser test (harness.mjs), in
// headless Chromium.
//
//   node tests/web/screenshots.mjs [OUT_DIR]     (default: docs/inbox)
//
// Binaries as in harness.mjs: WACHE_BINARY and WACHE_FAKE_API, else build/wache and
// build/tests/fake_platform_server.

import fs from 'node:fs';
import path from 'node:path';
import {
  SOURCE_DIR, STAFF, handOverScene, launchBrowser, startGateway,
} from './harness.mjs';

const out = path.resolve(process.argv[2] || path.join(SOURCE_DIR, 'docs', 'inbox'));
fs.mkdirSync(out, { recursive: true });

const gateway = await startGateway();
const browser = await launchBrowser();
try {
  const ids = await handOverScene(gateway);
  const shot = async (page, name) => {
    // No moving parts in a picture: the caret and the refresh time stay as they are.
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(out, name), animations: 'disabled', caret: 'hide' });
    console.log(`screenshots: ${path.join(out, name)}`);
  };
  const signIn = async (page, who) => {
    await page.locator('#token-input').fill(STAFF[who].token);
    await page.keyboard.press('Enter');
    await page.locator('#who-name', { hasText: STAFF[who].name }).waitFor();
  };

  // Laptop, German: sign-in, the list (urgent on top), a conversation being answered.
  const laptop = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 800 } });
  const page = await laptop.newPage();
  await page.goto(gateway.inboxUrl);
  await page.locator('#token-input').waitFor();
  await shot(page, 'signin.png');
  await signIn(page, 'leitstelle');
  await page.locator(`#conversation-list li[data-id="${ids.x}"]`).waitFor();
  await shot(page, 'list.png');
  await page.locator(`#conversation-list li[data-id="${ids.messenger}"] a`).click();
  await page.locator('#transcript .entry-person').first().waitFor();
  await page.getByRole('button', { name: 'Übernehmen' }).click();
  await page.locator('#conversation-facts', { hasText: 'in Bearbeitung bei Ihnen' }).waitFor();
  await page.getByLabel('Ihre Antwort').fill('Guten Tag, hier ist die Leitstelle. Sind Sie in Sicherheit? '
    + 'Wenn jemand bei Ihnen ist: Rufen Sie sofort die 110.');
  await page.keyboard.press('Control+Enter');
  await page.locator('#transcript .entry-staff').getByText('gesendet').waitFor();
  await page.getByLabel('Ihre Antwort').fill('Bleiben Sie bitte in einem Raum, den Sie abschließen können.');
  await shot(page, 'conversation.png');
  await laptop.close();

  // Tablet in portrait, English: one pane; the list, then an open conversation.
  const tablet = await browser.newContext({
    locale: 'en-GB', viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: true,
  });
  const pad = await tablet.newPage();
  await pad.goto(gateway.inboxUrl);
  await signIn(pad, 'anna');
  await pad.locator(`#conversation-list li[data-id="${ids.instagram}"]`).waitFor();
  await shot(pad, 'tablet-list.png');
  await pad.locator(`#conversation-list li[data-id="${ids.instagram}"] a`).click();
  await pad.locator('#transcript .entry-person').first().waitFor();
  await shot(pad, 'tablet-conversation.png');
  await tablet.close();
} finally {
  await browser.close();
  await gateway.stop();
}
