// Passkeys in a real browser with Chromium's virtual authenticator (CDP WebAuthn domain):
// a patient adds a passkey from the security page, then signs in with it alone, no
// password. Pages pass axe. WebAuthn needs a name, so this test uses http://localhost.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo, launch, context, expectNoAxeViolations } from './support.mjs';

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

async function withAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

test('a patient adds a passkey and signs in with it', async () => {
  const base = haven.nameUrl;
  const patient = haven.accounts.find((a) => a.email === 'casey@patients.example');
  const { ctx, foreign } = await context(browser, base, { locale: 'en-US' });
  const page = await ctx.newPage();
  const { cdp, authenticatorId } = await withAuthenticator(page);

  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email', { exact: true }).fill(patient.email);
  await page.getByLabel('Password', { exact: true }).fill(patient.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(`${base}/home`);
  await page.getByRole('link', { name: 'Security' }).click();
  const section = page.getByRole('region', { name: 'Passkeys' });
  assert.match(await section.innerText(), /You have no passkeys yet/);
  await expectNoAxeViolations(page, 'security page with passkeys');

  await page.locator('#passkey-password').fill('not my password');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.locator('#passkey-add-status').waitFor({ state: 'visible' });
  assert.match(await page.locator('#passkey-add-status').innerText(), /That password isn't right/);

  await page.locator('#passkey-password').fill(patient.password);
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.waitForURL(`${base}/account/security?changed=passkey`);
  assert.match(await page.getByRole('status').first().innerText(), /Your passkey was added/);
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1);
  assert.ok(credentials[0].isResidentCredential, 'a discoverable credential, for usernameless sign-in');
  await expectNoAxeViolations(page, 'security page after adding a passkey');

  // Sign out, then back in with the passkey alone.
  await page.getByRole('button', { name: 'Sign out', exact: true }).first().click();
  await page.goto(`${base}/sign-in`);
  await expectNoAxeViolations(page, 'sign-in with the passkey button');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.waitForURL(`${base}/home`);
  assert.equal(await page.locator('h1').innerText(), `Welcome, ${patient.name}`);
  await page.getByRole('link', { name: 'Security' }).click();
  assert.doesNotMatch(await page.getByRole('region', { name: 'Passkeys' }).innerText(), /Not used yet/);
  await expectNoAxeViolations(page, 'security page with a passkey to remove');

  // No passkey on the device: a clear, translated message, and still on the sign-in page.
  await page.getByRole('button', { name: 'Sign out', exact: true }).first().click();
  await cdp.send('WebAuthn.clearCredentials', { authenticatorId });
  await page.goto(`${base}/sign-in`);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.locator('#passkey-status').waitFor({ state: 'visible', timeout: 15_000 });
  assert.equal(await page.locator('#passkey-status').innerText(), "The passkey didn't work. Try again, or sign in with your password.");
  assert.equal(new URL(page.url()).pathname, '/sign-in');

  // Removing the passkey takes the password.
  await page.getByLabel('Email', { exact: true }).fill(patient.email);
  await page.getByLabel('Password', { exact: true }).fill(patient.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.goto(`${base}/account/security`);
  await page.locator('#remove-password').fill(patient.password);
  await page.getByRole('button', { name: 'Remove passkey' }).click();
  await page.waitForURL(`${base}/account/security?changed=passkey-removed`);
  assert.match(await page.getByRole('region', { name: 'Passkeys' }).innerText(), /You have no passkeys yet/);
  assert.deepEqual(foreign, []);
  await ctx.close();
});
