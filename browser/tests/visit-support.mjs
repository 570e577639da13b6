// Helpers for the video-visit tests: proof that media really flows (getStats and the
// <video> element), polling with a clear failure, and a raw WebSocket from inside a page.

import assert from 'node:assert/strict';
import { context, signIn } from './support.mjs';

/** Polls `read()` until `ok(value)`; fails naming `what` with the last value seen. */
export async function waitFor(read, ok, what, timeout = 20_000) {
  const until = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch (e) {
      last = e.message;
    }
    if (Date.now() > until) throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Inbound RTP counters of the page's peer connection, by kind. */
function inbound(page) {
  return page.evaluate(async () => {
    const pc = window.havenVisit?.pc;
    if (!pc) return null;
    const out = { audio: { bytes: 0, energy: 0 }, video: { bytes: 0, frames: 0 }, state: pc.connectionState, relay: false };
    const stats = await pc.getStats();
    stats.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        out.audio.bytes += s.bytesReceived ?? 0;
        out.audio.energy += s.totalAudioEnergy ?? 0;
      }
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        out.video.bytes += s.bytesReceived ?? 0;
        out.video.frames += s.framesDecoded ?? 0;
      }
      if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
        const local = stats.get(s.localCandidateId);
        if (local?.candidateType === 'relay') out.relay = true;
      }
    });
    return out;
  });
}

/** Audio (not silence) and, unless `video: false`, decoded video keep arriving. */
export async function mediaFlow(page, label, { video = true } = {}) {
  const first = await waitFor(() => inbound(page), (s) => s && s.audio.bytes > 0, `${label}: inbound audio`);
  const later = await waitFor(
    () => inbound(page),
    (s) => s.audio.bytes > first.audio.bytes && s.audio.energy > 0 && (!video || (s.video.bytes > first.video.bytes && s.video.frames > first.video.frames)),
    `${label}: inbound media keeps growing`,
  );
  return later;
}

/** Whether the page's call runs through the TURN relay. */
export async function usesRelay(page) {
  return (await inbound(page))?.relay === true;
}

/** The remote <video> has a picture and its time advances. */
export async function remoteVideoPlaying(page, label) {
  const first = await waitFor(
    () => page.locator('#remote-video').evaluate((v) => ({ w: v.videoWidth, t: v.currentTime })),
    (v) => v.w > 0 && v.t > 0,
    `${label}: remote video has a picture`,
  );
  await waitFor(
    () => page.locator('#remote-video').evaluate((v) => v.currentTime),
    (t) => t > first.t,
    `${label}: remote video time advances`,
  );
}

/** Opens a second WebSocket from the page, sends `frames` one by one, and returns every
 * frame received within a short while (the server answers each one). */
export async function rawSocket(page, frames) {
  return page.evaluate(async (toSend) => {
    const got = [];
    const ws = new WebSocket(`ws://${location.host}/ws`);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    ws.onmessage = (e) => got.push(JSON.parse(e.data));
    for (const f of toSend) {
      ws.send(JSON.stringify(f));
      await new Promise((r) => setTimeout(r, 300));
    }
    await new Promise((r) => setTimeout(r, 500));
    ws.close();
    return got;
  }, frames);
}

/** From the signed-in patient's start page: Join, then the check-in form filled as Jordan
 * would, into the waiting room. Resolves with the visit's id. */
export async function checkIn(patient, base) {
  await patient.getByRole('link', { name: 'Join the visit' }).click();
  await patient.waitForURL(/\/check$/);
  const visit = patient.url().match(/visits\/([0-9a-f-]+)\//)[1];
  await patient.goto(`${base}/visits/${visit}/safety`);
  await patient.getByLabel('Where are you right now? (address)').fill('12 Elm Street, Springfield, IL');
  await patient.getByLabel('State or province you are in').selectOption('US-IL');
  await patient.getByLabel('A phone number to call you back on').fill('+1 312 555 0101');
  await patient.getByLabel('Their name').fill('Sam Rivera');
  await patient.getByLabel('Their phone number').fill('+1 312 555 0199');
  await patient.getByLabel('I have read this and agree to receive care by telehealth.').check();
  await patient.getByLabel('Type your full name to sign').fill('Jordan Rivera');
  await patient.getByRole('button', { name: 'Continue to the waiting room' }).click();
  await patient.waitForURL(/\/room$/);
  return visit;
}

/** The demo's visit about to start: Jordan (in `patientBrowser`) runs the check-in and waits;
 * Dr. Lee (in `clinicianBrowser`) opens the room and admits. Each side gets its own context,
 * passed first to `prepare` (an init script, a fake clock). Resolves once admitted. */
export async function startVisit(haven, { patientBrowser, clinicianBrowser, prepare = async () => {}, options = {} }) {
  const account = (email) => haven.accounts.find((a) => a.email === email);
  const jordan = await context(patientBrowser, haven.url, { locale: 'en-US', ...options });
  const lee = await context(clinicianBrowser, haven.url, { locale: 'en-US', ...options });
  for (const c of [jordan, lee]) await prepare(c.ctx);
  const patient = await jordan.ctx.newPage();
  await signIn(patient, haven.url, account('jordan@patients.example'));
  const visit = await checkIn(patient, haven.url);
  const clinician = await lee.ctx.newPage();
  await signIn(clinician, haven.url, account('maya.lee@riverbend.example'));
  await clinician.goto(`${haven.url}/visits/${visit}/room`);
  await clinician.getByRole('button', { name: 'Admit' }).waitFor();
  await waitFor(() => clinician.locator('#admit').isEnabled(), (e) => e, 'admit enabled');
  await clinician.getByRole('button', { name: 'Admit' }).click();
  return { patient, clinician, visit, jordan, lee, close: () => Promise.all([jordan.ctx.close(), lee.ctx.close()]) };
}

export { assert };
