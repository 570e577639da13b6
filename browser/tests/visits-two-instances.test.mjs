// A video visit across two Haven instances on one PostgreSQL database, as behind a plain
// round-robin proxy: the patient reaches one instance, the clinician the other. Waiting
// room, admission and signaling cross between them through the database (NOTIFY and
// sealed live events); media flows both ways between two Chromium browsers.
//
// scripts/test.sh creates the empty database and bridges it into the test namespace
// (BROWSER_PG_URL, BROWSER_PG_BRIDGE; see ../pg-bridge.mjs). Not HAVEN_…: Haven reads every
// HAVEN_ variable as configuration and refuses unknown ones.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HAVEN_BIN, startDemo, launch, context, signIn, expectNoAxeViolations } from './support.mjs';
import { mediaFlow, waitFor, remoteVideoPlaying, checkIn } from './visit-support.mjs';
import { innerBridge } from '../pg-bridge.mjs';

const DATABASE = process.env.BROWSER_PG_URL;
const SECOND_PORT = 18090;
let bridge;
let dir;
let first;
let second;
let patientBrowser;
let clinicianBrowser;

/** `haven serve` on the same database and key file; resolves once it answers /readyz. */
async function startSecond(env) {
  let err = '';
  const child = spawn(HAVEN_BIN, ['serve'], {
    env: { ...process.env, ...env, HAVEN_LISTEN: `127.0.0.1:${SECOND_PORT}`, HAVEN_DATA_DIR: path.join(dir, 'second'),
      // As the demo on the first instance: staff sign in without a second step.
      HAVEN_REQUIRE_STAFF_MFA: 'false' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr.on('data', (d) => { err += d; });
  const url = `http://127.0.0.1:${SECOND_PORT}`;
  await waitFor(
    async () => (await fetch(`${url}/readyz`)).status,
    (s) => s === 200,
    `the second instance is ready (${err})`,
    30_000,
  );
  return { url, logs: () => err, async stop() { child.kill('SIGINT'); await once(child, 'exit'); } };
}

before(async () => {
  assert.ok(DATABASE, 'BROWSER_PG_URL names an empty PostgreSQL database (scripts/test.sh makes one)');
  if (process.env.BROWSER_PG_BRIDGE) bridge = await innerBridge(process.env.BROWSER_PG_BRIDGE);
  dir = mkdtempSync(path.join(tmpdir(), 'haven-two-'));
  const shared = {
    HAVEN_KEY_FILE: path.join(dir, 'haven.kek'),
    HAVEN_PASSWORD_HASHING__MEMORY_KIB: '8192',
    HAVEN_PASSWORD_HASHING__ITERATIONS: '1',
    HAVEN_LOG_LEVEL: 'debug',
  };
  first = await startDemo(['--database-url', DATABASE], shared);
  second = await startSecond({ ...shared, HAVEN_DATABASE_URL: DATABASE });
  patientBrowser = await launch();
  clinicianBrowser = await launch();
});

after(async () => {
  await patientBrowser?.close();
  await clinicianBrowser?.close();
  await second?.stop();
  await first?.stop();
  await bridge?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('patient on one instance, clinician on the other: admitted, media both ways', { timeout: 180_000 }, async () => {
  assert.notEqual(new URL(first.url).port, new URL(second.url).port, 'two instances');
  const account = (email) => first.accounts.find((a) => a.email === email);
  const jordan = await context(patientBrowser, first.url, { locale: 'en-US' });
  const lee = await context(clinicianBrowser, second.url, { locale: 'en-US' });

  const patient = await jordan.ctx.newPage();
  await signIn(patient, first.url, account('jordan@patients.example'));
  const visit = await checkIn(patient, first.url);
  await waitFor(() => patient.locator('#visit-status').innerText(), (t) => /Waiting for Dr\. Maya Lee/.test(t), 'the patient waits');

  // Dr. Lee signs in on the other instance and sees the patient waiting there.
  const clinician = await lee.ctx.newPage();
  await signIn(clinician, second.url, account('maya.lee@riverbend.example'));
  await clinician.goto(`${second.url}/visits/${visit}/room`);
  await waitFor(
    () => clinician.locator('#lobby-status').innerText(),
    (t) => /Jordan Rivera has been waiting \d+ min|Jordan Rivera is in the waiting room/.test(t),
    'the clinician on the other instance sees the patient waiting',
  );
  await expectNoAxeViolations(clinician, 'clinician room on the second instance');
  await waitFor(() => clinician.locator('#admit').isEnabled(), (e) => e, 'admit enabled');
  await clinician.getByRole('button', { name: 'Admit' }).click();

  await waitFor(() => patient.locator('#visit-status').innerText(), (t) => /Connected/.test(t), 'the patient is connected');
  await remoteVideoPlaying(patient, 'patient (first instance)');
  await remoteVideoPlaying(clinician, 'clinician (second instance)');
  await mediaFlow(patient, 'patient (first instance)');
  await mediaFlow(clinician, 'clinician (second instance)');

  // Ending on one instance ends the visit on the other: the patient's page goes to the end.
  await clinician.getByRole('button', { name: 'End visit' }).click();
  await clinician.getByRole('button', { name: 'Yes, end the visit' }).click();
  await clinician.waitForURL(`${second.url}/home`);
  await patient.waitForURL(`${first.url}/visits/${visit}/done`);
  await jordan.ctx.close();
  await lee.ctx.close();
  for (const [name, logs] of [['first', first.logs()], ['second', second.logs()]]) {
    assert.doesNotMatch(logs, /Jordan Rivera|12 Elm Street|312 555 0101/, `the ${name} instance's log names no patient data`);
  }
});
