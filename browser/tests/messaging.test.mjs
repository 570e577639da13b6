// Secure messaging in real browsers: a patient and a clinician in two contexts exchange
// messages live over the WebSocket, with read receipts and a file; a third person with
// JavaScript turned off writes through the plain form. Every page passes axe.

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

const account = (email) => haven.accounts.find((a) => a.email === email);
const mainNav = (page) => page.getByRole('navigation', { name: 'Main' });

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

test('with JavaScript off, sending is a form post and a reload shows replies', async () => {
  const casey = await context(browser, haven.url, { locale: 'en-US', javaScriptEnabled: false });
  const page = await casey.ctx.newPage();
  await signIn(page, haven.url, account('casey@patients.example'));
  await page.goto(`${haven.url}/messages`);
  await page.getByRole('heading', { level: 1, name: 'Your care team' }).waitFor();
  await page.getByRole('button', { name: 'Send securely' }).click();
  assert.match(await page.getByRole('alert').innerText(), /Please write a message/);
  await page.getByLabel('Your message').fill('Could we move to video next time?');
  await page.getByRole('button', { name: 'Send securely' }).click();
  await page.getByText('Could we move to video next time?').waitFor();
  // axe runs as a script in the page, so it can't run here; the same page is checked with
  // JavaScript on in the other test.
  assert.deepEqual(casey.foreign, []);
  await casey.ctx.close();
});

test('a patient and a clinician exchange messages live, with read receipts and a file', async () => {
  const jordan = await context(browser, haven.url, { locale: 'en-US' });
  const patient = await jordan.ctx.newPage();
  await signIn(patient, haven.url, account('jordan@patients.example'));
  await mainNav(patient).getByRole('link', { name: 'Messages' }).click();
  await patient.getByRole('heading', { level: 1, name: 'Your care team' }).waitFor();
  assert.match(await patient.locator('#compose-safety').innerText(), /isn't watched around the clock.*988/s);
  await expectNoAxeViolations(patient, 'thread (patient)');

  const lee = await context(browser, haven.url, { locale: 'en-US' });
  const clinician = await lee.ctx.newPage();
  await signIn(clinician, haven.url, account('maya.lee@riverbend.example'));
  await mainNav(clinician).getByRole('link', { name: 'Messages' }).click();
  await expectNoAxeViolations(clinician, 'message list (clinician)');
  await clinician.getByRole('link', { name: 'Jordan Rivera' }).click();
  await clinician.getByRole('heading', { level: 1, name: 'Jordan Rivera' }).waitFor();
  await clinician.waitForFunction(() => document.querySelector('#message-list') !== null);

  // Live: no reload on either side.
  await patient.getByLabel('Your message').fill('Hello Dr. Lee, this week was hard.');
  await patient.getByRole('button', { name: 'Send securely' }).click();
  await clinician.getByText('Hello Dr. Lee, this week was hard.').waitFor({ timeout: 10000 });
  assert.equal(await patient.getByLabel('Your message').inputValue(), '', 'the box clears once sent');
  await patient.getByText('Read by Dr. Maya Lee').waitFor({ timeout: 10000 });
  await clinician.getByLabel('Your message').fill('Thank you for telling me. Shall we talk on Tuesday?');
  await clinician.getByRole('button', { name: 'Send securely' }).click();
  await patient.getByText('Shall we talk on Tuesday?').waitFor({ timeout: 10000 });
  assert.match(await patient.locator('#send-status').innerText(), /New message from Dr\. Maya Lee/);

  // A file goes through the form; the other side sees it arrive.
  await patient.getByLabel('Attach a file (optional)').setInputFiles({ name: 'mood chart.png', mimeType: 'image/png', buffer: PNG });
  await patient.getByRole('button', { name: 'Send securely' }).click();
  await patient.getByRole('link', { name: /mood chart\.png/ }).waitFor();
  await clinician.getByRole('link', { name: /mood chart\.png/ }).waitFor({ timeout: 10000 });
  const href = await clinician.getByRole('link', { name: /mood chart\.png/ }).getAttribute('href');
  const download = await clinician.request.get(`${haven.url}${href}`);
  assert.equal(download.status(), 200);
  assert.equal(download.headers()['content-type'], 'image/png');
  await expectNoAxeViolations(clinician, 'thread (clinician) with messages');
  await expectNoAxeViolations(patient, 'thread (patient) with messages');
  assert.deepEqual([...jordan.foreign, ...lee.foreign], []);
  await jordan.ctx.close();
  await lee.ctx.close();
});

// The compose box as people meet it, at desktop and phone width: reached in one step from the
// top, Ctrl+Enter sends, every refusal says its real reason and keeps the text, a file over
// the limit is stopped before upload, live messages carry the same kind of time as the rest,
// and the clinician's page doesn't show the patient-facing crisis notice.
for (const [label, viewport] of [['desktop', { width: 1280, height: 900 }], ['390 px', { width: 390, height: 844 }]]) {
  test(`composing a message (${label})`, async () => {
    const jordan = await context(browser, haven.url, { locale: 'en-US', viewport });
    const patient = await jordan.ctx.newPage();
    await signIn(patient, haven.url, account('jordan@patients.example'));
    await patient.goto(`${haven.url}/messages`);
    const box = patient.getByLabel('Your message');
    const status = patient.locator('#send-status');
    await patient.waitForFunction(() => document.querySelector('#conversation') !== null);

    // One step from the top of the page to the box, however many messages and files.
    await patient.getByRole('link', { name: 'Skip to the message box' }).focus();
    await patient.keyboard.press('Enter');
    assert.equal(await patient.evaluate(() => document.activeElement.id), 'body', 'the skip link moves focus to the box');

    // Real reasons, text kept.
    await box.fill('   ');
    await patient.getByRole('button', { name: 'Send securely' }).click();
    await waitForText(status, /Please write a message/);
    await patient.evaluate(() => { document.getElementById('body').value = 'x'.repeat(4001); });
    await patient.getByRole('button', { name: 'Send securely' }).click();
    await waitForText(status, /too long.*4000 characters/);
    assert.equal((await box.inputValue()).length, 4001, 'the text is given back');

    // Too large a file: stopped in the page, with the limit, and no upload.
    await box.fill(`A scan of my sleep diary (${label})`);
    let uploads = 0;
    patient.on('request', (r) => { if (r.method() === 'POST' && r.url().includes('/messages/')) uploads += 1; });
    await patient.getByLabel('Attach a file (optional)').setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 37) });
    assert.match(await patient.locator('#file-hint').innerText(), /up to 10 MB/);
    await patient.getByRole('button', { name: 'Send securely' }).click();
    await waitForText(status, /larger than 10 MB.*text is still here/);
    assert.equal(uploads, 0, 'nothing was uploaded');
    assert.equal(await box.inputValue(), `A scan of my sleep diary (${label})`);
    await patient.getByLabel('Attach a file (optional)').setInputFiles([]);

    // Ctrl+Enter sends; the live message's time reads like the server's.
    await box.press('Control+Enter');
    const sent = patient.locator('#message-list li', { hasText: `A scan of my sleep diary (${label})` });
    await sent.waitFor();
    const time = (await sent.locator('.meta').innerText()).split(' · ')[1];
    assert.match(time, /^[A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}, \d{1,2}:\d{2}\s[AP]M [A-Z]{3,4}$/, `a live time like the server's: ${time}`);
    await patient.reload();
    const again = patient.locator('#message-list li', { hasText: `A scan of my sleep diary (${label})` });
    assert.equal((await again.locator('.meta').innerText()).split(' · ')[1], time, 'the same text after a reload');
    await expectNoAxeViolations(patient, `thread, composing (${label})`);

    // The clinician's side: no patient-facing crisis notice.
    const lee = await context(browser, haven.url, { locale: 'en-US', viewport });
    const clinician = await lee.ctx.newPage();
    await signIn(clinician, haven.url, account('maya.lee@riverbend.example'));
    await clinician.goto(`${haven.url}/messages`);
    await clinician.getByRole('link', { name: 'Jordan Rivera' }).click();
    await clinician.getByRole('heading', { level: 1, name: 'Jordan Rivera' }).waitFor();
    assert.equal(await clinician.locator('#compose-safety').count(), 0);
    assert.doesNotMatch(await clinician.locator('main').innerText(), /If you are in crisis, call or text 988/);
    await expectNoAxeViolations(clinician, `thread (clinician, ${label})`);
    await jordan.ctx.close();
    await lee.ctx.close();
  });
}

async function waitForText(locator, pattern) {
  for (let i = 0; i < 50; i += 1) {
    if (pattern.test(await locator.innerText())) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.match(await locator.innerText(), pattern);
}
