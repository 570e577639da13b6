// Invitations and password resets in a real browser: staff invite, the invited patient
// follows the emailed link and creates their account, and a forgotten password is reset.
// Every page of both flows passes axe.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo, launch, context, expectNoAxeViolations, signIn, nextMail, mailCount } from './support.mjs';

let haven;
let browser;
let mails = 0;

before(async () => {
  haven = await startDemo();
  browser = await launch();
  // What the demo sent at start (its check-in mail) comes before this file's mail.
  mails = mailCount(haven.outbox);
});

after(async () => {
  await browser?.close();
  await haven?.stop();
});

function linkIn(mail) {
  // The demo printed localhost; its mail says the same address.
  const match = mail.body.match(/http:\/\/localhost:\d+\/\S+/);
  assert.ok(match, `a link in the mail at the address the demo printed:\n${mail.body}`);
  return match[0];
}

test('a clinician invites a patient, who accepts the emailed invitation and sets a password', async () => {
  const staff = await context(browser, haven.url, { locale: 'en-US' });
  const page = await staff.ctx.newPage();
  const clinician = haven.accounts.find((a) => a.email === 'maya.lee@riverbend.example');
  await signIn(page, haven.url, clinician);
  await page.getByRole('link', { name: 'Invite someone' }).click();
  await expectNoAxeViolations(page, 'invite form');
  await page.getByLabel('Name', { exact: true }).fill('Robin Flores');
  await page.getByLabel('Email', { exact: true }).fill('not an email');
  await page.getByLabel('Email', { exact: true }).evaluate((el) => el.setAttribute('type', 'text')); // get past the browser's own check
  await page.getByRole('button', { name: 'Send invitation' }).click();
  assert.match(await page.getByRole('alert').innerText(), /valid email address/);
  await expectNoAxeViolations(page, 'invite form with an error');
  await page.getByLabel('Email', { exact: true }).fill('robin@patients.example');
  await page.getByLabel('Language for emails and pages').selectOption('es');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  assert.match(await page.getByRole('status').innerText(), /Invitation sent to robin@patients\.example/);
  await expectNoAxeViolations(page, 'invite form after sending');

  const mail = await nextMail(haven.outbox, mails);
  mails += 1;
  assert.match(mail.head, /To: robin@patients\.example/);
  assert.match(mail.body, /Riverbend Counseling le invitó a Haven/, 'the mail is in the language chosen for Robin');

  const invitee = await context(browser, haven.url, { locale: 'es-MX' });
  const patient = await invitee.ctx.newPage();
  await patient.goto(linkIn(mail));
  assert.equal(await patient.locator('h1').innerText(), 'Bienvenido, Robin Flores');
  await expectNoAxeViolations(patient, 'accept invitation');
  await patient.getByLabel('Contraseña nueva', { exact: true }).fill('lantern orchard quietly');
  await patient.getByLabel('Escriba otra vez la contraseña nueva').fill('lantern orchard quiet');
  await patient.getByRole('button', { name: 'Crear mi cuenta' }).click();
  assert.match(await patient.getByRole('alert').innerText(), /no coinciden/);
  await expectNoAxeViolations(patient, 'accept invitation with an error');
  await patient.getByLabel('Contraseña nueva', { exact: true }).fill('lantern orchard quietly');
  await patient.getByLabel('Escriba otra vez la contraseña nueva').fill('lantern orchard quietly');
  await patient.getByRole('button', { name: 'Crear mi cuenta' }).click();
  await patient.waitForURL(`${haven.url}/home`);
  assert.equal(await patient.locator('h1').innerText(), 'Hola, Robin Flores');

  await page.goto(`${haven.url}/home`);
  assert.ok(await page.getByRole('listitem').filter({ hasText: 'Robin Flores' }).isVisible(), 'on the clinician\'s list');
  await expectNoAxeViolations(page, 'clinician dashboard with patients');
  assert.deepEqual([...staff.foreign, ...invitee.foreign], []);
  await staff.ctx.close();
  await invitee.ctx.close();
});

test('a forgotten password is reset from the emailed link', async () => {
  const { ctx, foreign } = await context(browser, haven.url, { locale: 'en-US' });
  const page = await ctx.newPage();
  const patient = haven.accounts.find((a) => a.email === 'casey@patients.example');
  await page.goto(`${haven.url}/sign-in`);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Email', { exact: true }).fill(patient.email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  assert.match(await page.getByRole('status').innerText(), /If an account uses that email/);
  await expectNoAxeViolations(page, 'reset requested');

  const mail = await nextMail(haven.outbox, mails);
  mails += 1;
  await page.goto(linkIn(mail));
  await expectNoAxeViolations(page, 'choose a new password');
  await page.getByLabel('New password', { exact: true }).fill('password1');
  await page.getByLabel('Type the new password again').fill('password1');
  await page.getByRole('button', { name: 'Save new password' }).click();
  assert.match(await page.getByRole('alert').innerText(), /stolen from other websites/);
  await expectNoAxeViolations(page, 'choose a new password with an error');
  await page.getByLabel('New password', { exact: true }).fill('quiet harbour morning');
  await page.getByLabel('Type the new password again').fill('quiet harbour morning');
  await page.getByRole('button', { name: 'Save new password' }).click();
  await page.waitForURL(/\/sign-in\?reset=done$/);
  assert.match(await page.getByRole('status').innerText(), /Your password was changed/);
  await expectNoAxeViolations(page, 'sign-in after reset');
  await signIn(page, haven.url, { ...patient, password: 'quiet harbour morning' });
  assert.deepEqual(foreign, []);
  await ctx.close();
});
