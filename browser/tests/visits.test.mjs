// Video visits in real browsers: two Chromium instances (fake camera and microphone) in
// the loopback-only namespace. The patient runs the device check, checks in, waits; the
// clinician admits; media flows both ways (checked with getStats and the <video>
// elements); audio only and back; in-call chat; a closed tab comes back without
// re-admission while the clinician sees the emergency panel; the visit record says what
// happened. Outsiders can't join the room. Every page passes axe, and the test reports the
// bytes the patient's pages transfer.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo, launch, context, expectNoAxeViolations, signIn } from './support.mjs';
import { mediaFlow, waitFor, remoteVideoPlaying, rawSocket } from './visit-support.mjs';

let haven;
let patientBrowser;
let clinicianBrowser;

before(async () => {
  haven = await startDemo();
  // Two separate browsers, as two people on two machines would be.
  patientBrowser = await launch();
  clinicianBrowser = await launch();
});

after(async () => {
  await patientBrowser?.close();
  await clinicianBrowser?.close();
  await haven?.stop();
});

const started = Date.now();
const step = (what) => console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
const account = (email) => haven.accounts.find((a) => a.email === email);

/** Counts the compressed bytes each page's load transfers (document and what it loads):
 * every request that finished from now until the returned function is called. */
function weigh(page) {
  const pending = [];
  const finished = (request) => {
    pending.push(
      request
        .sizes()
        .then((s) => s.responseBodySize + s.responseHeadersSize)
        .catch(() => 0),
    );
  };
  page.on('requestfinished', finished);
  return async () => {
    page.off('requestfinished', finished);
    const sizes = await Promise.all(pending.splice(0));
    return sizes.reduce((a, b) => a + b, 0);
  };
}

test('a whole video visit: device check, check-in, waiting room, admit, call, drop, end, record', { timeout: 180_000 }, async () => {
  const jordan = await context(patientBrowser, haven.url, { locale: 'en-US' });
  let patient = await jordan.ctx.newPage();
  await signIn(patient, haven.url, account('jordan@patients.example'));
  // The dashboard offers the visit that starts soon.
  await patient.getByRole('heading', { name: "Today's video and phone visits" }).waitFor();
  await expectNoAxeViolations(patient, 'dashboard with a visit (patient)');

  step('device check');
  let weight = weigh(patient);
  await patient.getByRole('link', { name: 'Join the visit' }).click();
  await patient.waitForURL(/\/visits\/[0-9a-f-]+\/check$/);
  const visit = patient.url().match(/visits\/([0-9a-f-]+)\//)[1];
  await waitFor(() => patient.locator('#check-camera').innerText(), (t) => /Camera: working/.test(t), 'camera check');
  await waitFor(() => patient.locator('#check-mic').innerText(), (t) => /Microphone: working/.test(t), 'microphone check');
  await waitFor(() => patient.locator('#check-network').innerText(), (t) => /Connection to Haven: \d+ ms/.test(t), 'network check');
  await waitFor(() => patient.locator('#check-turn').innerText(), (t) => /no relay server is set up/.test(t), 'TURN check');
  const level = await waitFor(() => patient.locator('#mic-level').evaluate((m) => m.value), (v) => v > 0, 'microphone level moves');
  assert.ok(level > 0);
  const preview = await patient.locator('#preview').evaluate((v) => v.videoWidth);
  assert.ok(preview > 0, 'the camera preview shows');
  await patient.getByRole('button', { name: 'Play a test sound' }).click();
  await expectNoAxeViolations(patient, 'device check');
  const checkBytes = await weight();

  step('check-in');
  await patient.getByRole('link', { name: 'Continue' }).click();
  await patient.waitForURL(`${haven.url}/visits/${visit}/safety`);
  await expectNoAxeViolations(patient, 'check-in form');
  await patient.getByRole('button', { name: 'Continue to the waiting room' }).click();
  assert.match(await patient.getByRole('alert').innerText(), /Enter where you are.*Type your full name/s);
  await expectNoAxeViolations(patient, 'check-in form with errors');
  await patient.getByLabel('Where are you right now? (address)').fill('12 Elm Street, Springfield, IL');
  await patient.getByLabel('State or province you are in').selectOption('US-IL');
  await patient.getByLabel('A phone number to call you back on').fill('+1 312 555 0101');
  await patient.getByLabel('Their name').fill('Sam Rivera');
  await patient.getByLabel('Their phone number').fill('+1 312 555 0199');
  await patient.getByLabel('I have read this and agree to receive care by telehealth.').check();
  await patient.getByLabel('Type your full name to sign').fill('Jordan Rivera');
  weight = weigh(patient);
  await patient.getByRole('button', { name: 'Continue to the waiting room' }).click();

  step('waiting room');
  await patient.waitForURL(`${haven.url}/visits/${visit}/room`);
  await waitFor(() => patient.locator('#visit-status').innerText(), (t) => /Waiting for Dr\. Maya Lee/.test(t), 'waiting status');
  assert.match(await patient.locator('#waiting-text').innerText(), /Dr\. Maya Lee knows you're here/);
  assert.equal(await patient.locator('#call').isHidden(), true, 'no call before admission');
  await expectNoAxeViolations(patient, 'waiting room');
  // An unadmitted patient's signals go nowhere: the server refuses them.
  const refused = await rawSocket(patient, [{ type: 'visit-join', visit }, { type: 'visit-signal', visit, data: { session: 'x', candidate: null } }]);
  assert.ok(refused.some((f) => f.type === 'visit-error' && f.code === 'not-admitted'), JSON.stringify(refused));

  // The clinician sees who is waiting, and for how long.
  const lee = await context(clinicianBrowser, haven.url, { locale: 'en-US' });
  const clinician = await lee.ctx.newPage();
  await signIn(clinician, haven.url, account('maya.lee@riverbend.example'));
  await clinician.getByText(/Jordan Rivera, waiting \d+ min/).waitFor();
  await expectNoAxeViolations(clinician, 'dashboard with a waiting patient (clinician)');
  await clinician.getByRole('link', { name: 'Join the visit' }).click();
  await clinician.waitForURL(`${haven.url}/visits/${visit}/room`);
  await waitFor(() => clinician.locator('#lobby-status').innerText(), (t) => /Jordan Rivera has been waiting \d+ min|Jordan Rivera is in the waiting room/.test(t), 'lobby status');
  assert.equal(await clinician.locator('#licence-warning').count(), 0, 'Illinois is within Dr. Lee\'s licences');
  await expectNoAxeViolations(clinician, 'room lobby (clinician)');
  // A note to the waiting room.
  await clinician.getByLabel('Note to the waiting room').fill('Running 5 minutes late, sorry!');
  await clinician.getByRole('button', { name: 'Send note' }).click();
  await waitFor(() => patient.locator('#waiting-note').innerText(), (t) => /Running 5 minutes late/.test(t), 'note reaches the waiting room');

  step('admit');
  const admitted = Date.now();
  await clinician.getByRole('button', { name: 'Admit' }).click();
  await remoteVideoPlaying(patient, 'patient sees the clinician');
  await remoteVideoPlaying(clinician, 'clinician sees the patient');
  console.log(`# admit -> remote video playing at the patient: ${Date.now() - admitted} ms`);
  await mediaFlow(patient, 'patient');
  await mediaFlow(clinician, 'clinician');
  await waitFor(() => patient.locator('#visit-status').innerText(), (t) => /Connected/.test(t), 'patient status says connected');
  await expectNoAxeViolations(patient, 'call (patient)');
  await expectNoAxeViolations(clinician, 'call (clinician)');
  const roomBytes = await weight();
  const total = checkBytes + roomBytes;
  console.log(`# page weight (compressed, transferred): device check ${checkBytes} B, check-in + waiting room + call ${roomBytes} B, total ${total} B (target <= 100 KB)`);
  assert.ok(total <= 100 * 1024, `the visit pages transferred ${total} bytes`);

  step('audio only');
  await patient.getByRole('button', { name: 'Audio only' }).click();
  assert.equal(await patient.locator('#audio-only').getAttribute('aria-pressed'), 'true');
  await waitFor(() => patient.locator('#visit-status').innerText(), (t) => /Audio only/.test(t), 'audio-only announced');
  await clinician.locator('#remote-audio-only').waitFor({ state: 'visible' });
  await mediaFlow(clinician, 'clinician during audio only', { video: false });
  await patient.getByRole('button', { name: 'Back to video' }).click();
  await clinician.locator('#remote-audio-only').waitFor({ state: 'hidden' });
  await mediaFlow(clinician, 'clinician after video is back');

  step('chat');
  // The chat is a closed panel until opened; a message to a closed panel is announced.
  await patient.locator('#chat summary').click();
  await patient.getByLabel('Message').fill('Can you hear me?');
  await patient.getByLabel('Message').press('Enter');
  await waitFor(() => clinician.locator('#chat-unread').innerText(), (t) => /1 new/.test(t), 'the closed chat says a message came');
  await clinician.locator('#chat summary').click();
  await clinician.locator('#chat-log').getByText('Can you hear me?').waitFor();
  await clinician.getByLabel('Message').fill('Yes, clearly.');
  await clinician.getByRole('button', { name: 'Send', exact: true }).click();
  await patient.locator('#chat-log').getByText('Yes, clearly.').waitFor();

  // 5. The patient closes the tab: the clinician sees the emergency panel at once; the
  // patient comes back from the dashboard without being admitted again.
  await patient.close();
  await clinician.locator('#emergency-panel').waitFor({ state: 'visible', timeout: 8000 });
  const panel = await clinician.locator('#emergency-panel').innerText();
  assert.match(panel, /12 Elm Street, Springfield, IL/);
  assert.match(panel, /\+1 312 555 0101/);
  assert.match(panel, /Sam Rivera/);
  assert.match(panel, /911/);
  await expectNoAxeViolations(clinician, 'emergency panel');
  const back = Date.now();
  patient = await jordan.ctx.newPage();
  await patient.goto(`${haven.url}/home`);
  await patient.getByRole('link', { name: 'Join the visit' }).click();
  await patient.waitForURL(`${haven.url}/visits/${visit}/room`);
  await remoteVideoPlaying(patient, 'patient sees the clinician again');
  await remoteVideoPlaying(clinician, 'clinician sees the patient again');
  const recovered = Date.now() - back;
  console.log(`# tab closed and reopened: call back in ${recovered} ms (target <= 10 s)`);
  assert.ok(recovered <= 10_000, `recovery took ${recovered} ms`);
  await clinician.locator('#emergency-panel').waitFor({ state: 'hidden' });

  step('end');
  // The patient leaves; the clinician ends the visit; the record says what was used.
  await patient.getByRole('button', { name: 'Leave' }).click();
  await patient.waitForURL(`${haven.url}/visits/${visit}/done`);
  // Ending asks first; "Keep talking" leaves the call as it was.
  await clinician.getByRole('button', { name: 'End visit' }).click();
  assert.match(await clinician.locator('#end-confirm').innerText(), /End the visit for you and Jordan Rivera\?/);
  await expectNoAxeViolations(clinician, 'end visit: confirm');
  await clinician.getByRole('button', { name: 'Keep talking' }).click();
  assert.equal(await clinician.locator('#end-confirm').isVisible(), false);
  assert.equal(await clinician.evaluate(() => window.havenVisit.state), 'admitted', 'still in the call');
  await clinician.getByRole('button', { name: 'End visit' }).click();
  await clinician.getByRole('button', { name: 'Yes, end the visit' }).click();
  await clinician.waitForURL(`${haven.url}/home`);
  await patient.reload();
  assert.equal(await patient.locator('#modality-used').innerText(), 'Video and audio only');
  await expectNoAxeViolations(patient, 'visit ended');
  await patient.getByLabel('Good').check();
  await patient.getByRole('button', { name: 'Send' }).click();
  await patient.getByText('Thank you. Your answer helps').waitFor();
  assert.deepEqual(jordan.foreign, []);
  assert.deepEqual(lee.foreign, []);
  await jordan.ctx.close();
  await lee.ctx.close();
  assert.doesNotMatch(haven.logs(), /12 Elm Street|555 0101|Sam Rivera|Can you hear me/, 'no patient data or chat in the logs');
});

test('outsiders can neither open the visit nor join its room', { timeout: 60_000 }, async () => {
  // Find the visit through the patient, then try it as others.
  const jordan = await context(patientBrowser, haven.url, { locale: 'en-US' });
  const page = await jordan.ctx.newPage();
  await signIn(page, haven.url, account('jordan@patients.example'));
  await page.goto(`${haven.url}/appointments`);
  const href = await page.locator('a[href^="/appointments/"]').first().getAttribute('href');
  const visit = href.split('/')[2];
  await jordan.ctx.close();

  for (const email of ['casey@patients.example', 'samuel.ortiz@riverbend.example']) {
    const other = await context(clinicianBrowser, haven.url, { locale: 'en-US' });
    const p = await other.ctx.newPage();
    await signIn(p, haven.url, account(email));
    const response = await p.goto(`${haven.url}/visits/${visit}/room`);
    assert.equal(response.status(), 404, `${email} can't open the room`);
    const frames = await rawSocket(p, [
      { type: 'visit-join', visit },
      { type: 'visit-signal', visit, data: { session: 'x', description: { type: 'offer', sdp: 'v=0' } } },
      { type: 'visit-chat', visit, text: 'hello?' },
    ]);
    const visitFrames = frames.filter((f) => String(f.type).startsWith('visit-'));
    assert.ok(visitFrames.length >= 3, JSON.stringify(frames));
    for (const f of visitFrames) {
      assert.equal(f.type, 'visit-error', `${email} learns nothing: ${JSON.stringify(f)}`);
      assert.equal(f.code, 'not-a-party');
    }
    await other.ctx.close();
  }
});
