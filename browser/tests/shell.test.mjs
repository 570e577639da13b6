// The web shell in a real browser: every page passes axe with zero violations in both
// languages and at phone width, works by keyboard and without JavaScript, and loads
// nothing from another origin.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startDemo, launch, context, expectNoAxeViolations, expectNoHorizontalScroll, signIn,
} from './support.mjs';

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

const ANONYMOUS_PAGES = ['/', '/sign-in', '/crisis', '/no-such-page', '/password-reset', '/invitations/not-a-valid-token', '/register/riverbend'];

test('every public page passes axe in English and Spanish, at desktop and phone width', async () => {
  for (const locale of ['en-US', 'es-MX']) {
    for (const viewport of [{ width: 1280, height: 900 }, { width: 320, height: 640 }, { width: 640, height: 450 }]) {
      const { ctx, foreign } = await context(browser, haven.url, { locale, viewport });
      const page = await ctx.newPage();
      for (const path of ANONYMOUS_PAGES) {
        await page.goto(haven.url + path);
        const label = `${path} (${locale}, ${viewport.width}px)`;
        assert.equal(await page.getAttribute('html', 'lang'), locale.slice(0, 2), label);
        await expectNoAxeViolations(page, label);
        await expectNoHorizontalScroll(page, label);
        assert.equal(await page.locator('h1').count(), 1, `${label}: one h1`);
        await assertCrisisLinkVisible(page, label);
      }
      assert.deepEqual(foreign, [], 'no request left Haven\'s origin');
      await ctx.close();
    }
  }
});

async function assertCrisisLinkVisible(page, label) {
  const link = page.getByRole('link', { name: /^(Need help now\?|¿Necesita ayuda ahora\?)$/ });
  assert.ok(await link.isVisible(), `${label}: the crisis link is visible`);
  const box = await link.boundingBox();
  assert.ok(box.y < 200, `${label}: the crisis link is near the top (y=${box.y})`);
}

test('signed-in pages pass axe, and the language switch changes the account\'s language', async () => {
  const { ctx, foreign } = await context(browser, haven.url, { locale: 'en-US' });
  const page = await ctx.newPage();
  const patient = haven.accounts.find((a) => a.role === 'patient');

  await page.goto(`${haven.url}/sign-in`);
  await page.getByLabel('Email').fill(patient.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const alert = page.getByRole('alert');
  assert.match(await alert.innerText(), /don't match an account/);
  await expectNoAxeViolations(page, 'sign-in with an error');

  await signIn(page, haven.url, patient);
  assert.equal(await page.locator('h1').innerText(), `Welcome, ${patient.name}`);
  await expectNoAxeViolations(page, 'dashboard');
  await page.getByRole('link', { name: 'Profile' }).click();
  await expectNoAxeViolations(page, 'profile');
  await page.goto(`${haven.url}/home`);

  await page.getByRole('button', { name: 'Español' }).click();
  await page.waitForURL(`${haven.url}/home`);
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.equal(await page.locator('h1').innerText(), `Hola, ${patient.name}`);
  assert.equal(await page.getByRole('button', { name: 'Español' }).getAttribute('aria-pressed'), 'true');
  await expectNoAxeViolations(page, 'dashboard in Spanish');

  // The choice is stored on the account: a fresh browser signing in gets Spanish.
  const second = await context(browser, haven.url, { locale: 'en-US' });
  const other = await second.ctx.newPage();
  await signIn(other, haven.url, patient);
  assert.equal(await other.getAttribute('html', 'lang'), 'es');
  await second.ctx.close();

  await page.getByRole('button', { name: 'Cerrar sesión' }).click();
  await page.waitForURL(`${haven.url}/`);
  await page.goto(`${haven.url}/home`);
  assert.equal(new URL(page.url()).pathname, '/sign-in', 'signed out');
  assert.deepEqual(foreign, []);
  await ctx.close();
});

test('keyboard: the skip link comes first, focus is visible, everything is reachable', async () => {
  const { ctx } = await context(browser, haven.url, { locale: 'en-US' });
  const page = await ctx.newPage();
  await page.goto(`${haven.url}/crisis`);

  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => ({
    text: document.activeElement.textContent.trim(),
    outline: getComputedStyle(document.activeElement).outlineStyle,
    top: document.activeElement.getBoundingClientRect().top,
  }));
  assert.equal(first.text, 'Skip to main content');
  assert.notEqual(first.outline, 'none', 'focus is visible');
  assert.ok(first.top >= 0, 'the skip link shows itself when focused');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');

  // Tabbing through the page reaches every link and button, and the crisis link early.
  await page.goto(`${haven.url}/crisis`);
  const reached = [];
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    if (reached.includes(name) && name === reached[0]) break;
    reached.push(name);
  }
  assert.ok(reached.indexOf('Need help now?') >= 0 && reached.indexOf('Need help now?') <= 3, `crisis link early: ${reached}`);
  const focusable = await page.evaluate(
    () => [...document.querySelectorAll('a[href], button, input:not([type=hidden])')].map((e) => e.textContent.trim()).filter(Boolean),
  );
  for (const name of focusable) assert.ok(reached.includes(name), `"${name}" is reachable by Tab`);
  await ctx.close();
});

test('everything works with JavaScript turned off', async () => {
  const { ctx } = await context(browser, haven.url, { locale: 'en-US', javaScriptEnabled: false });
  const page = await ctx.newPage();
  const clinician = haven.accounts.find((a) => a.role === 'clinician');
  await signIn(page, haven.url, clinician);
  assert.match(await page.locator('h1').innerText(), /^Welcome, /);
  await page.getByRole('button', { name: 'Español' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  await page.goto(`${haven.url}/crisis`);
  assert.ok(await page.getByRole('link', { name: 'Llamar al 988' }).isVisible());
  await ctx.close();
});

test('the demo server logs no passwords or names', async () => {
  const logs = haven.logs();
  for (const account of haven.accounts) {
    assert.ok(!logs.includes(account.password), 'a password reached the log');
    assert.ok(!logs.includes(account.name), 'a name reached the log');
    assert.ok(!logs.includes(account.email), 'an email reached the log');
  }
});
