// Test kit for Haven's browser tests: start a real Haven demo server, launch Debian's
// Chromium through playwright-core, and check pages with axe-core.

import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

export const HAVEN_BIN = process.env.HAVEN_BIN ?? path.join(repo, 'target', 'debug', 'haven');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Starts `haven demo` on a free port; resolves with its URL, accounts and a stop(). */
export async function startDemo(extraArgs = [], extraEnv = {}) {
  const child = spawn(HAVEN_BIN, ['demo', '--listen', '127.0.0.1:0', ...extraArgs], {
    env: {
      ...process.env,
      // Debug level, so the no-patient-data check below reads everything Haven could log.
      HAVEN_LOG_LEVEL: 'debug',
      // Cheap hashing keeps start-up quick; the cost doesn't change what the pages do.
      HAVEN_PASSWORD_HASHING__MEMORY_KIB: '8192',
      HAVEN_PASSWORD_HASHING__ITERATIONS: '1',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const ready = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('Stop with Ctrl-C.')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`haven demo exited with ${code}: ${err}`)));
  });
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`haven demo did not start: ${out}${err}`)), 30_000);
  });
  // Clear the timer once started: a pending timer would keep the test process alive.
  await Promise.race([ready, timeout]).finally(() => clearTimeout(timer));
  // The banner says localhost (passkeys need a name), and so do the links in its mail:
  // a person meets one address, so the tests use it too.
  const nameUrl = out.match(/running at (http:\/\/localhost:\d+)/)[1];
  const url = nameUrl;
  const accounts = [...out.matchAll(/^\s+(admin|clinician|patient)\s+(.+?)\s{2,}(\S+@\S+)\s+(\S+)$/gm)].map((m) => ({
    role: m[1],
    name: m[2].trim(),
    email: m[3],
    password: m[4],
  }));
  assert.equal(accounts.length, 6, `demo printed its six sign-ins:\n${out}`);
  const outbox = out.match(/written to (\S+)/)[1];
  // The demo mails Jordan the check-in it opens at start; wait for it, so the mail a test
  // causes is the next one in the outbox.
  for (let i = 0; i < 100 && mailCount(outbox) < 1; i += 1) await new Promise((r) => setTimeout(r, 100));
  return {
    url,
    nameUrl,
    accounts,
    outbox,
    logs: () => err,
    async stop() {
      child.kill('SIGINT');
      await once(child, 'exit');
    },
  };
}

/** Debian's Chromium with the flags this machine's closed, loopback-only network needs. */
export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--allow-loopback-in-peer-connection',
    ],
  });
}

/**
 * A new browser context that records every request that leaves Haven's origin.
 * `foreign` collects them; a test asserts it stays empty.
 */
export async function context(browser, base, options = {}) {
  const ctx = await browser.newContext(options);
  const origin = new URL(base).origin;
  const foreign = [];
  ctx.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin) foreign.push(url);
  });
  return { ctx, foreign };
}

/** Runs axe-core (WCAG 2.2 A/AA and best practices); fails with a readable list. */
export async function expectNoAxeViolations(page, label) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  assert.deepEqual(summary, [], `axe found violations on ${label}:\n${summary.join('\n')}`);
  assert.ok(results.passes.length > 10, `axe ran its checks on ${label}`);
}

/** The page fits its viewport: nothing forces sideways scrolling. */
export async function expectNoHorizontalScroll(page, label) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= width, `${label}: content is ${scroll}px wide in a ${width}px viewport`);
}

/** Waits for the next mail in the demo's outbox folder after `seen` files; returns its text. */
export async function nextMail(outbox, seen) {
  for (let i = 0; i < 100; i += 1) {
    const files = existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith('.eml')).sort() : [];
    if (files.length > seen) {
      const raw = readFileSync(path.join(outbox, files[seen]), 'utf8');
      return decodeMail(raw);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail appeared in ${outbox}`);
}

function decodeBody(head, body) {
  if (/content-transfer-encoding: quoted-printable/i.test(head)) {
    const joined = body.replace(/=\r\n/g, '');
    return Buffer.from(joined.replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  }
  if (/content-transfer-encoding: base64/i.test(head)) {
    return Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8');
  }
  return body;
}

/** A message's head and decoded text; for multipart mail, its parts by content type. */
function decodeMail(raw) {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const whole = rest.join('\r\n\r\n');
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(head)?.[1];
  if (!boundary) return { head, body: decodeBody(head, whole), parts: {} };
  const parts = {};
  for (const chunk of whole.split(`--${boundary}`).slice(1)) {
    const [partHead, ...partRest] = chunk.replace(/^\r\n/, '').split('\r\n\r\n');
    const type = /content-type:\s*([^;\r\n]+)/i.exec(partHead)?.[1]?.toLowerCase();
    if (type) parts[type] = decodeBody(partHead, partRest.join('\r\n\r\n').replace(/\r\n$/, ''));
  }
  return { head, body: parts['text/plain'] ?? '', parts };
}

/** How many messages the outbox holds now. */
export function mailCount(outbox) {
  return existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith('.eml')).length : 0;
}

export async function signIn(page, base, account) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel(/^(Email|Correo electrónico)$/).fill(account.email);
  await page.getByLabel(/^(Password|Contraseña)$/).fill(account.password);
  await page.getByRole('button', { name: /^(Sign in|Iniciar sesión)$/, exact: true }).click();
  await page.waitForURL(`${base}/home`);
}

/** RFC 6238 code for `secretBase32` at time step `step` (HMAC-SHA1, 6 digits). */
export function totpCode(secretBase32, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secretBase32.replace(/\s/g, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', Buffer.from(bytes)).update(counter).digest();
  const offset = digest[19] & 0x0f;
  const binary = ((digest[offset] & 0x7f) << 24) | (digest[offset + 1] << 16) | (digest[offset + 2] << 8) | digest[offset + 3];
  return String(binary % 1_000_000).padStart(6, '0');
}

export const currentStep = () => Math.floor(Date.now() / 1000 / 30);
