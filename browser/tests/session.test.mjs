// The idle-timeout warning in a real browser: shortly before the idle limit a dialog
// offers "Stay signed in" (keyboard-focused, axe-clean); staying keeps the session; doing
// nothing signs the person out with an explanation. Typing is activity, and a video call is
// never cut by the timer, however long. The pages' clocks are fast-forwarded.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo, launch, context, expectNoAxeViolations, signIn } from './support.mjs';
import { startVisit, remoteVideoPlaying, mediaFlow } from './visit-support.mjs';

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

/** Statuses of the page's keep-alive calls, as they come. */
function keepAlives(page) {
  const seen = [];
  page.on('response', (r) => r.url().endsWith('/session/keep-alive') && seen.push(r.status()));
  return seen;
}

test('typing in a long message is activity: no warning while the person writes', async () => {
  const { ctx } = await context(browser, haven.url, { locale: 'en-US' });
  const page = await ctx.newPage();
  await page.clock.install();
  await signIn(page, haven.url, haven.accounts.find((a) => a.email === 'jordan@patients.example'));
  const told = keepAlives(page);
  await page.goto(`${haven.url}/messages`);
  const box = page.getByLabel('Your message');
  const dialog = page.getByRole('dialog', { name: 'Are you still there?' });
  // Fifty minutes of writing, a sentence every five: well past the 30-minute limit.
  for (let i = 0; i < 10; i += 1) {
    await page.clock.fastForward('05:00');
    await box.pressSequentially(`Part ${i}. `);
    assert.equal(await dialog.isVisible(), false, `no warning after ${(i + 1) * 5} minutes of writing`);
  }
  assert.ok(told.length >= 5 && told.every((s) => s === 204), `the server heard of the activity: ${told}`);
  assert.match(await box.inputValue(), /Part 9\./, 'nothing typed was lost');
  // Then nobody types: the warning comes as before.
  await page.clock.fastForward('28:30');
  await dialog.waitFor();
  await ctx.close();
});

test('a 40-minute video call is never cut by the idle timer, on either side', { timeout: 120_000 }, async () => {
  const v = await startVisit(haven, { patientBrowser: browser, clinicianBrowser: browser, prepare: (ctx) => ctx.clock.install() });
  await remoteVideoPlaying(v.patient, 'patient sees the clinician');
  await remoteVideoPlaying(v.clinician, 'clinician sees the patient');
  const told = { patient: keepAlives(v.patient), clinician: keepAlives(v.clinician) };
  // Nobody touches a key: they talk. Staff are signed out after 15 idle minutes, patients 30.
  for (let minute = 1; minute <= 40; minute += 1) {
    await Promise.all([v.patient.clock.fastForward('01:00'), v.clinician.clock.fastForward('01:00')]);
    for (const [who, page] of [['patient', v.patient], ['clinician', v.clinician]]) {
      const warned = await page.getByRole('dialog', { name: 'Are you still there?' }).isVisible();
      assert.equal(warned, false, `${who}: no idle warning at minute ${minute}`);
    }
  }
  for (const [who, page] of [['patient', v.patient], ['clinician', v.clinician]]) {
    assert.match(new URL(page.url()).pathname, /\/visits\/[0-9a-f-]+\/room$/, `${who} is still in the room`);
    assert.ok(told[who].length >= 15 && told[who].every((s) => s === 204), `${who}: the session was kept alive: ${told[who]}`);
    await mediaFlow(page, `${who} after 40 minutes`);
  }
  await v.close();
});
