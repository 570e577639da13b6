// Join time of a video visit: "admit → first decoded remote frame at the patient", for
// Haven and for a bare minimal WebRTC page (no Haven; the two pages' signaling is relayed
// by this script directly), alternating call by call in one run on one machine so that
// both see the same load. Started by `cargo bench -p haven --bench visits` with HAVEN_URL
// and HAVEN_VISITS (ids of visits whose rooms are open now).

import { launch, signIn } from '../tests/support.mjs';

const url = process.env.HAVEN_URL;
const visits = process.env.HAVEN_VISITS.split(',');
const BARE = 'http://127.0.0.1:1/bare';
const trace = [];

// The bare page: both sides have the camera and microphone open before the call starts (as
// Haven's waiting room and lobby do), the caller offers, the callee answers.
const barePage = `<!doctype html><html lang="en"><title>bare</title><video id="remote" autoplay playsinline muted></video><script>
let pc; let chain = Promise.resolve(); let ready = null;
window.prepare = () => { ready = navigator.mediaDevices.getUserMedia({ audio: true, video: true }); return ready.then(() => true); };
async function peer() {
  const media = await ready;
  pc = new RTCPeerConnection({ iceServers: [] });
  media.getTracks().forEach((t) => pc.addTrack(t, media));
  pc.onicecandidate = (e) => e.candidate && window.signal({ candidate: e.candidate.toJSON() });
  pc.ontrack = (e) => { const v = document.getElementById('remote'); if (v.srcObject !== e.streams[0]) v.srcObject = e.streams[0]; };
}
const v = document.getElementById('remote');
v.requestVideoFrameCallback(() => { window.firstFrame = Date.now(); });
window.go = async () => { window.startedAt = Date.now(); await peer(); const offer = await pc.createOffer(); await pc.setLocalDescription(offer); window.signal({ description: pc.localDescription.toJSON() }); };
window.onSignal = (m) => { chain = chain.then(async () => {
  if (m.description) {
    if (m.description.type === 'offer') { await peer(); await pc.setRemoteDescription(m.description); await pc.setLocalDescription(await pc.createAnswer()); window.signal({ description: pc.localDescription.toJSON() }); }
    else await pc.setRemoteDescription(m.description);
  } else if (m.candidate) await pc.addIceCandidate(m.candidate);
}); };
</script></html>`;

async function barePair(a, b) {
  const pages = [await a.newPage(), await b.newPage()];
  for (const [i, page] of pages.entries()) {
    await page.route(BARE, (route) => route.fulfill({ contentType: 'text/html', body: barePage }));
    const other = () => pages[1 - i];
    await page.exposeBinding('signal', (_source, m) => other().evaluate((msg) => window.onSignal(msg), m));
    await page.goto(BARE);
    await page.evaluate(() => window.prepare());
  }
  return pages;
}

async function firstFrame(page) {
  for (let i = 0; i < 300; i += 1) {
    const t = await page.evaluate(() => window.firstFrame ?? null);
    if (t) return t;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no remote frame within 6 s');
}

async function bareCall(a, b) {
  const [caller, callee] = await barePair(a, b);
  await caller.evaluate(() => window.go());
  const t1 = await firstFrame(caller);
  const t0 = await caller.evaluate(() => window.startedAt);
  await caller.close();
  await callee.close();
  return t1 - t0;
}

async function havenCall(patient, clinician, visit, first) {
  await patient.goto(`${url}/visits/${visit}/safety`);
  if (first) {
    await patient.getByLabel('Where are you right now? (address)').fill('1 Bench Street, Springfield, IL');
    await patient.getByLabel('State or province you are in').selectOption('US-IL');
    await patient.getByLabel('A phone number to call you back on').fill('+1 312 555 0101');
    await patient.getByLabel('Their name').fill('Bench Contact');
    await patient.getByLabel('Their phone number').fill('+1 312 555 0199');
    await patient.getByLabel('I have read this and agree to receive care by telehealth.').check();
    await patient.getByLabel('Type your full name to sign').fill('Bench Person');
  }
  await patient.getByRole('button', { name: 'Continue to the waiting room' }).click();
  await patient.waitForURL(`${url}/visits/${visit}/room`);
  await clinician.goto(`${url}/visits/${visit}/room`);
  await clinician.waitForFunction(() => !document.getElementById('admit').disabled);
  // Both pages have opened the camera and microphone while waiting, as the bare page has.
  await patient.waitForFunction(() => window.havenVisit?.state === 'waiting');
  await patient.evaluate(() => window.havenVisit.ready);
  await clinician.evaluate(() => window.havenVisit.ready);
  trace.length = 0;
  await clinician.click('#admit');
  const t1 = await firstFrame(patient);
  // From the moment the clinician's page received the click (not when the test asked
  // for it: the driver's own round trips are no part of Haven's time).
  const t0 = await clinician.evaluate(() => window.admittedAt);
  if (process.env.JOIN_TRACE) console.log(trace.map(([t, who, dir, kind]) => `${t - t0} ${who} ${dir} ${kind}`).join('\n'));
  await clinician.click('#end');
  await patient.waitForURL(`${url}/visits/${visit}/done`);
  return t1 - t0;
}

function summary(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const rank = (p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  return { median: (sorted[Math.floor((sorted.length - 1) / 2)] + sorted[Math.ceil((sorted.length - 1) / 2)]) / 2, p95: rank(0.95) };
}

const browsers = [await launch(), await launch()];
try {
  const [a, b] = [await browsers[0].newContext(), await browsers[1].newContext()];
  const patient = await a.newPage();
  const clinician = await b.newPage();
  // With JOIN_TRACE set, each Haven call prints when every socket frame passed.
  for (const [who, page] of [['patient', patient], ['clinician', clinician]]) {
    page.on('websocket', (ws) => {
      const note = (dir) => (f) => {
        const kind = /"type":"([^"]+)"/.exec(String(f.payload))?.[1];
        const sub = /"(description|candidate)"/.exec(String(f.payload))?.[1] ?? '';
        trace.push([Date.now(), who, dir, `${kind} ${sub}`]);
      };
      ws.on('framesent', note('->'));
      ws.on('framereceived', note('<-'));
    });
  }
  await clinician.addInitScript(() => {
    document.addEventListener('click', (e) => { if (e.target?.id === 'admit') window.admittedAt = Date.now(); }, true);
  });
  // The patient's page notes when the first remote frame is shown.
  await patient.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      document.getElementById('remote-video')?.requestVideoFrameCallback(() => { window.firstFrame = Date.now(); });
    });
  });
  await signIn(patient, url, { email: 'patient@bench.example', password: 'bench pass phrase' });
  await signIn(clinician, url, { email: 'clinician@bench.example', password: 'bench pass phrase' });
  // One warm-up of each (browser start-up, first getUserMedia), not counted.
  await bareCall(a, b);
  const haven = [];
  const bare = [];
  for (const [i, visit] of visits.entries()) {
    const h = await havenCall(patient, clinician, visit, i === 0);
    if (i > 0) haven.push(h);
    bare.push(await bareCall(a, b));
  }
  const hs = summary(haven);
  const bs = summary(bare);
  const ratio = hs.median / bs.median;
  console.log(`Haven video-visit join-time benchmark (${haven.length} Haven calls, ${bare.length} bare-page calls, alternating, 2 Chromium instances, loopback)`);
  console.log(`  admit -> first decoded remote frame at the patient: Haven median ${hs.median.toFixed(0)} ms, p95 ${hs.p95.toFixed(0)} ms`);
  console.log(`  bare minimal WebRTC page (offer -> first remote frame): median ${bs.median.toFixed(0)} ms, p95 ${bs.p95.toFixed(0)} ms`);
  console.log(`  Haven / bare median: ${ratio.toFixed(2)} (target <= 1.2)${ratio <= 1.2 ? '  ok' : '  ABOVE TARGET'}`);
} finally {
  await Promise.all(browsers.map((b) => b.close()));
}
