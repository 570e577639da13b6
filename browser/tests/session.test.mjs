// The idle-timeout warning in a real browser: shortly before the idle limit a dialog
// offers "Stay signed in" (keyboard-focused, axe-clean); staying keeps the session; doing
// nothing signs the person out with an explanation. The page's clock is fast-forwarded.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo, launch, context, expectNoAxeViolations, signIn } from './support.mjs';

let haven;
let browser;

before(async () => {
  haven = await startDemo();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await haven?.stop();
});

test('the idle warning appears, "stay signed in" works, and inactivity signs out', async () => {
  const { ctx, foreign } = await context(browser, haven.url, { locale: 'en-US' });
  const page = await ctx.newPage();
  await page.clock.install();
  const patient = haven.accounts.find((a) => a.role === 'patient');
  await signIn(page, haven.url, patient);
  assert.equal(await page.getAttribute('body', 'data-idle-seconds'), '1800', 'patients: 30 minutes');

  const dialog = page.getByRole('dialog', { name: 'Are you still there?' });
  await page.clock.fastForward('27:00');
  assert.equal(await dialog.isVisible(), false, 'no warning yet');
  await page.clock.fastForward('01:30');
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'idle-stay', 'focus moves to "Stay signed in"');
  await expectNoAxeViolations(page, 'idle warning');

  const keepAlive = page.waitForResponse((r) => r.url().endsWith('/session/keep-alive'));
  await page.keyboard.press('Enter');
  assert.equal((await keepAlive).status(), 204);
  await dialog.waitFor({ state: 'hidden' });

  // The timer starts again: nothing at 27 minutes, the warning again before 30, then out.
  await page.clock.fastForward('27:00');
  assert.equal(await dialog.isVisible(), false);
  await page.clock.fastForward('03:00');
  await page.waitForURL(`${haven.url}/sign-in?timeout=1`);
  assert.match(await page.getByRole('status').innerText(), /signed out after a while without activity/);
  await page.goto(`${haven.url}/home`);
  assert.equal(new URL(page.url()).pathname, '/sign-in', 'the session really ended');
  assert.deepEqual(foreign, []);
  await ctx.close();
});
