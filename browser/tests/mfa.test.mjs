// Staff two-step sign-in in a real browser, as a deployment runs it (demo --staff-mfa):
// the clinician sets up an authenticator app from the QR page, keeps recovery codes, and
// signs in again with a fresh code. Every page of the flow passes axe.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo, launch, context, expectNoAxeViolations, totpCode, currentStep } from './support.mjs';

let haven;
let browser;

before(async () => {
  haven = await startDemo(['--staff-mfa']);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await haven?.stop();
});

async function password(page, account) {
  await page.goto(`${haven.url}/sign-in`);
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

test('a clinician sets up TOTP, then signs in with a code', async () => {
  const clinician = haven.accounts.find((a) => a.email === 'maya.lee@riverbend.example');
  const first = await context(browser, haven.url, { locale: 'en-US' });
  const page = await first.ctx.newPage();
  await password(page, clinician);
  await page.waitForURL(`${haven.url}/sign-in/setup`);
  assert.ok(await page.getByRole('img', { name: 'QR code for your authenticator app' }).isVisible());
  await expectNoAxeViolations(page, 'TOTP setup');
  const secret = (await page.locator('#totp-secret').innerText()).trim();

  await page.getByLabel('6-digit code or recovery code').fill('000000');
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  assert.match(await page.getByRole('alert').innerText(), /didn't work/);
  await expectNoAxeViolations(page, 'TOTP setup with an error');

  await page.getByLabel('6-digit code or recovery code').fill(totpCode(secret, currentStep()));
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
  const codes = await page.locator('.recovery-codes code').allInnerTexts();
  assert.equal(codes.length, 10);
  await expectNoAxeViolations(page, 'recovery codes');
  await page.getByRole('link', { name: 'Continue to My Haven' }).click();
  await page.waitForURL(`${haven.url}/home`);
  await page.getByRole('link', { name: 'Security' }).click();
  assert.match(await page.locator('main').innerText(), /Two-step sign-in is on\. Recovery codes left: 10\./);
  await expectNoAxeViolations(page, 'security settings');
  await first.ctx.close();

  // Another browser: password, then the next step's code (the current one was used).
  const second = await context(browser, haven.url, { locale: 'en-US' });
  const again = await second.ctx.newPage();
  await password(again, clinician);
  await again.waitForURL(`${haven.url}/sign-in/code`);
  await expectNoAxeViolations(again, 'code entry');
  await again.getByLabel('6-digit code or recovery code').fill(totpCode(secret, currentStep() + 1));
  await again.getByRole('button', { name: 'Continue' }).click();
  await again.waitForURL(`${haven.url}/home`);
  assert.match(await again.locator('h1').innerText(), /Welcome, Dr\. Maya Lee/);
  assert.deepEqual([...first.foreign, ...second.foreign], []);
  await second.ctx.close();
});
