// Audio only for a weak connection: when either side chooses it, neither side sends video,
// both pages say so, and the call fits in ≤ 40 kbit/s per direction on the wire. Then, with
// the test's own loopback limited to 64 kbit/s and 5 % of UDP packets dropped (tc and nft
// inside this namespace), the call keeps carrying sound both ways for 30 s. The figures are
// printed for the note.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startDemo, launch, expectNoAxeViolations } from './support.mjs';
import { startVisit, remoteVideoPlaying, waitFor } from './visit-support.mjs';

let haven;
let browser;

before(async () => {
  haven = await startDemo();
  browser = await launch();
});

after(async () => {
  weakLink(false);
  await browser?.close();
  await haven?.stop();
});

/** What went over the wire for this page's call so far: UDP payload bytes plus 28 bytes of
 * IPv4 and UDP header per packet, each way; video RTP bytes; received audio energy. */
function wire(page) {
  return page.evaluate(async () => {
    const stats = await window.havenVisit.pc.getStats();
    const out = { at: performance.now(), sent: 0, received: 0, videoSent: 0, videoReceived: 0, energy: 0 };
    stats.forEach((s) => {
      // Every pair the call has used: ICE may move to another one on a lossy link.
      if (s.type === 'candidate-pair') {
        out.sent += (s.bytesSent ?? 0) + 28 * (s.packetsSent ?? 0);
        out.received += (s.bytesReceived ?? 0) + 28 * (s.packetsReceived ?? 0);
      }
      if (s.type === 'outbound-rtp' && s.kind === 'video') out.videoSent += s.bytesSent ?? 0;
      if (s.type === 'inbound-rtp' && s.kind === 'video') out.videoReceived += s.bytesReceived ?? 0;
      if (s.type === 'inbound-rtp' && s.kind === 'audio') out.energy += s.totalAudioEnergy ?? 0;
    });
    return out;
  });
}

/** kbit/s each way, video bytes and audio energy gained, over `seconds` of the call. */
async function over(page, seconds) {
  const a = await wire(page);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const b = await wire(page);
  const kbps = (bytes) => Math.round((bytes * 8) / (b.at - a.at));
  return {
    sendKbps: kbps(b.sent - a.sent),
    receiveKbps: kbps(b.received - a.received),
    videoBytes: b.videoSent - a.videoSent + (b.videoReceived - a.videoReceived),
    energy: b.energy - a.energy,
  };
}

/** Limits this namespace's loopback to 64 kbit/s and drops 5 % of UDP packets (or undoes it). */
function weakLink(on) {
  const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (on) {
    run('tc', ['qdisc', 'add', 'dev', 'lo', 'root', 'tbf', 'rate', '64kbit', 'burst', '4kb', 'latency', '50ms']);
    run('nft', ['add', 'table', 'inet', 'weak']);
    run('nft', ['add', 'chain', 'inet', 'weak', 'c', '{ type filter hook input priority 0; }']);
    run('nft', ['add', 'rule', 'inet', 'weak', 'c', 'meta', 'l4proto', 'udp', 'numgen', 'random', 'mod', '100', '<', '5', 'drop']);
  } else {
    for (const [cmd, args] of [['tc', ['qdisc', 'del', 'dev', 'lo', 'root']], ['nft', ['delete', 'table', 'inet', 'weak']]]) {
      try {
        run(cmd, args);
      } catch {
        // Not set (the test failed before it got there).
      }
    }
  }
}

test('audio only on one side makes the whole call audio only, within 40 kbit/s, and it holds on a weak link', { timeout: 150_000 }, async () => {
  const v = await startVisit(haven, { patientBrowser: browser, clinicianBrowser: browser });
  await remoteVideoPlaying(v.patient, 'patient sees the clinician');
  await remoteVideoPlaying(v.clinician, 'clinician sees the patient');
  const video = { patient: await over(v.patient, 5), clinician: await over(v.clinician, 0) };
  console.log(`# video call: patient sends ${video.patient.sendKbps} kbit/s, receives ${video.patient.receiveKbps} kbit/s`);

  // The patient chooses audio only: the clinician's page stops sending video too, and says so.
  await v.patient.getByRole('button', { name: 'Audio only' }).click();
  await waitFor(() => v.clinician.locator('#visit-status').innerText(), (t) => /switched to audio only.*no video is sent either way/.test(t), 'the clinician is told');
  await v.clinician.locator('#remote-audio-only').waitFor({ state: 'visible' });
  assert.equal(await v.clinician.evaluate(() => window.havenVisit.audioCall), true, "the clinician's page is in an audio-only call");
  assert.equal(await v.clinician.locator('#share').isDisabled(), true, 'no screen sharing into an audio-only call');
  await expectNoAxeViolations(v.clinician, 'audio-only call (clinician)');
  // The encoders settle on the new rate within a few seconds.
  await new Promise((r) => setTimeout(r, 4000));
  for (const [who, page] of [['patient', v.patient], ['clinician', v.clinician]]) {
    const m = await over(page, 10);
    console.log(`# audio only, ${who}: sends ${m.sendKbps} kbit/s, receives ${m.receiveKbps} kbit/s on the wire (target <= 40)`);
    assert.equal(m.videoBytes, 0, `${who}: no video either way`);
    assert.ok(m.energy > 0, `${who}: sound arrives`);
    assert.ok(m.sendKbps <= 40 && m.receiveKbps <= 40, `${who}: ${m.sendKbps} kbit/s out, ${m.receiveKbps} kbit/s in`);
  }

  // 64 kbit/s and 5 % UDP loss: sound keeps arriving on both sides for 30 s.
  weakLink(true);
  try {
    for (let window = 1; window <= 6; window += 1) {
      const [p, c] = await Promise.all([over(v.patient, 5), over(v.clinician, 5)]);
      console.log(`# weak link, ${window * 5} s: patient ${p.sendKbps}/${p.receiveKbps} kbit/s out/in, clinician ${c.sendKbps}/${c.receiveKbps}`);
      assert.ok(p.energy > 0 && c.energy > 0, `sound both ways in window ${window}: patient ${p.energy}, clinician ${c.energy}`);
    }
  } finally {
    weakLink(false);
  }

  // Back to video: video flows both ways again.
  await v.patient.getByRole('button', { name: 'Back to video' }).click();
  await v.clinician.locator('#remote-audio-only').waitFor({ state: 'hidden' });
  await remoteVideoPlaying(v.clinician, 'clinician sees the patient again');
  await remoteVideoPlaying(v.patient, 'patient sees the clinician again');
  await v.close();
});
