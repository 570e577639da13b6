// Charts and the audit trail in a real browser: a clinician opens a patient's chart from
// the dashboard and writes a note; a designated colleague outside the care team meets the
// refusal and the break-glass form; the patient sees who accessed the record; the admin
// searches the trail. Every page passes axe.

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

test('charts, refusals, the patient\'s access history and the admin\'s audit trail', async () => {
  const lee = await context(browser, haven.url, { locale: 'en-US' });
  const page = await lee.ctx.newPage();
  await signIn(page, haven.url, account('maya.lee@riverbend.example'));
  await page.getByRole('link', { name: 'Jordan Rivera', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Jordan Rivera' }).waitFor();
  await expectNoAxeViolations(page, 'chart');
  await page.getByRole('button', { name: 'Save note' }).click(); // empty: the browser's own check stops it
  await page.getByLabel('New note').fill('   ');
  await page.getByLabel('New note').evaluate((el) => el.removeAttribute('required'));
  await page.getByRole('button', { name: 'Save note' }).click();
  assert.match(await page.getByRole('alert').innerText(), /The note is empty/);
  await expectNoAxeViolations(page, 'chart with an error');
  await page.getByLabel('New note').fill('Discussed sleep routine.\nWill try the wind-down plan this week.');
  await page.getByRole('button', { name: 'Save note' }).click();
  await page.getByText('Will try the wind-down plan this week.').waitFor();
  const chartUrl = page.url();
  await lee.ctx.close();

  const ortiz = await context(browser, haven.url, { locale: 'en-US' });
  const other = await ortiz.ctx.newPage();
  await signIn(other, haven.url, account('samuel.ortiz@riverbend.example'));
  const response = await other.goto(chartUrl);
  assert.equal(response.status(), 403);
  assert.ok(await other.getByRole('heading', { name: 'Acceso de emergencia' }).isVisible(), 'designated: the break-glass form (in Spanish)');
  assert.equal(await other.getByText('wind-down plan').count(), 0, 'nothing of the chart shows');
  await expectNoAxeViolations(other, 'chart refused, with break-glass');
  await ortiz.ctx.close();

  const jordan = await context(browser, haven.url, { locale: 'en-US' });
  const patient = await jordan.ctx.newPage();
  await signIn(patient, haven.url, account('jordan@patients.example'));
  await patient.getByRole('link', { name: 'Who saw my record' }).click();
  const table = patient.getByRole('table');
  assert.match(await table.innerText(), /Dr\. Maya Lee \(Clinician\)\s+Viewed · clinical record/);
  assert.match(await table.innerText(), /Dr\. Samuel Ortiz \(Clinician\)\s+Was refused access · clinical record/);
  await expectNoAxeViolations(patient, 'who accessed my record');
  await jordan.ctx.close();

  const adminCtx = await context(browser, haven.url, { locale: 'en-US' });
  const admin = await adminCtx.ctx.newPage();
  await signIn(admin, haven.url, account('admin@riverbend.example'));
  await admin.getByRole('link', { name: 'Audit trail' }).click();
  assert.match(await admin.getByRole('status').innerText(), /The audit trail is intact/);
  await admin.getByLabel('About patient (email)').fill('jordan@patients.example');
  await admin.getByLabel('What', { exact: true }).selectOption('create');
  await admin.getByRole('button', { name: 'Show' }).click();
  assert.match(await admin.getByRole('table').innerText(), /Dr\. Maya Lee\s+Jordan Rivera\s+Created · clinical record/);
  await expectNoAxeViolations(admin, 'audit trail');
  await admin.goto(`${haven.url}/home`);
  await admin.getByRole('link', { name: 'People' }).click();
  assert.ok(await admin.getByRole('rowheader', { name: 'Jordan Rivera' }).isVisible());
  await expectNoAxeViolations(admin, 'people');
  await admin.getByText('Deactivate Casey Kim', { exact: true }).click();
  await admin.getByRole('button', { name: 'Yes, deactivate Casey Kim' }).click();
  assert.ok(await admin.getByRole('button', { name: 'Reactivate Casey Kim' }).isVisible());
  assert.deepEqual([...lee.foreign, ...ortiz.foreign, ...jordan.foreign, ...adminCtx.foreign], []);
  await adminCtx.ctx.close();
});
