// Helpers for the video-visit tests: proof that media really flows (getStats and the
// <video> element), polling with a clear failure, and a raw WebSocket from inside a page.

import assert from 'node:assert/strict';

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

export { assert };
