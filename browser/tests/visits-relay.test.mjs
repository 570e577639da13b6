// Video visits through a real coturn (TURN REST API credentials minted by Haven), relay
// only, as for people behind networks that block direct paths; and a Haven whose TURN
// secret doesn't match coturn's, which must say so plainly instead of hanging.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { startDemo, launch, context, signIn } from './support.mjs';
import { mediaFlow, waitFor, remoteVideoPlaying, usesRelay, startVisit } from './visit-support.mjs';

const SECRET = `turn-${randomBytes(12).toString('hex')}`;
const PORT = 3478;
let coturn;
let browser;

/** A STUN Binding Request; coturn is ready when it answers one. */
async function turnReady() {
  const socket = dgram.createSocket('udp4');
  const request = Buffer.alloc(20);
  request.writeUInt16BE(0x0001, 0);
  request.writeUInt32BE(0x2112a442, 4);
  randomBytes(12).copy(request, 8);
  try {
    for (let i = 0; i < 100; i += 1) {
      const answered = new Promise((resolve) => {
        socket.once('message', () => resolve(true));
        setTimeout(() => resolve(false), 100);
      });
      socket.send(request, PORT, '127.0.0.1');
      if (await answered) return;
    }
    throw new Error('coturn did not answer on 127.0.0.1:3478');
  } finally {
    socket.close();
  }
}

before(async () => {
  coturn = spawn(
    'turnserver',
    [
      '-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${PORT}`,
      '--min-port=49160', '--max-port=49200', '--use-auth-secret', `--static-auth-secret=${SECRET}`,
      '--realm=haven.test', '--no-tls', '--no-dtls', '--no-cli', '--fingerprint',
      // Tests only: the "peers" here are on loopback, which coturn refuses by default.
      '--allow-loopback-peers', '--log-file=stdout', '--simple-log',
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  await turnReady();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (coturn) {
    coturn.kill('SIGTERM');
    await once(coturn, 'exit');
  }
});

const turnEnv = (secret) => ({
  HAVEN_TURN__URLS: `["turn:127.0.0.1:${PORT}?transport=udp"]`,
  HAVEN_TURN__SECRET: secret,
});

/** Both parties in the one browser, relay only. */
const startRelayVisit = (haven) =>
  startVisit(haven, { patientBrowser: browser, clinicianBrowser: browser, prepare: (ctx) => ctx.addInitScript(() => sessionStorage.setItem('haven-ice-policy', 'relay')) });

test('a visit through coturn, relay only', { timeout: 120_000 }, async () => {
  const haven = await startDemo([], turnEnv(SECRET));
  try {
    const account = (email) => haven.accounts.find((a) => a.email === email);
    // The device check finds the relay.
    const ctx = await context(browser, haven.url, { locale: 'en-US' });
    const page = await ctx.ctx.newPage();
    await signIn(page, haven.url, account('jordan@patients.example'));
    await page.getByRole('link', { name: 'Join the visit' }).click();
    await waitFor(() => page.locator('#check-turn').innerText(), (t) => /working, even through firewalls/.test(t), 'TURN check passes');
    await ctx.ctx.close();

    const v = await startRelayVisit(haven);
    await remoteVideoPlaying(v.patient, 'patient (relay)');
    await remoteVideoPlaying(v.clinician, 'clinician (relay)');
    await mediaFlow(v.patient, 'patient (relay)');
    await mediaFlow(v.clinician, 'clinician (relay)');
    assert.equal(await usesRelay(v.patient), true, 'the patient\'s media goes through the relay');
    assert.equal(await usesRelay(v.clinician), true, 'the clinician\'s media goes through the relay');
    await v.close();
  } finally {
    await haven.stop();
  }
});

test('a wrong TURN secret fails with a clear message, not a hang', { timeout: 120_000 }, async () => {
  const haven = await startDemo([], turnEnv('not-the-secret-coturn-has'));
  try {
    const v = await startRelayVisit(haven);
    const started = Date.now();
    for (const page of [v.patient, v.clinician]) {
      await waitFor(
        () => page.locator('#visit-alert').innerText(),
        (t) => /could not reach the relay server/.test(t),
        'the relay failure is said',
        25_000,
      );
    }
    console.log(`# wrong TURN secret reported after ${Date.now() - started} ms`);
    await v.close();
  } finally {
    await haven.stop();
  }
});
