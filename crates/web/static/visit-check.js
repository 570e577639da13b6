// Device check before a video visit: camera, microphone, speaker, the connection to Haven and
// the relay (TURN) server, each with a plain-language result. It advises and never blocks: the
// continue link always works. With no camera, the visit is set to start audio-only, so the room
// page doesn't ask for a camera that isn't there.

const $ = (id) => document.getElementById(id);
const section = $('device-check');
const strings = $('check-strings').dataset;
const preview = $('preview');
const meter = $('mic-level');
const help = $('check-help');
const AudioCtx = window.AudioContext || window.webkitAudioContext;
let stream = null;
let audio = null; // one AudioContext for the meter and the tone, made on first use
let source = null;
let levelTimer = 0;
let running = false;

// Each result line carries data-result (checking / ok / problem) for the stylesheet.
function show(id, text, ok) {
  const item = $(id);
  item.textContent = text ?? '';
  item.dataset.result = ok === null ? 'checking' : ok ? 'ok' : 'problem';
}

async function ask(constraints) {
  try {
    return { stream: await navigator.mediaDevices.getUserMedia(constraints) };
  } catch (error) {
    return { error };
  }
}

const denied = (error) => error?.name === 'NotAllowedError' || error?.name === 'SecurityError';

function context() {
  audio ??= new AudioCtx();
  // Browsers may start audio suspended until the person interacts; resuming is harmless.
  audio.resume().catch(() => {});
  return audio;
}

function stop() {
  clearInterval(levelTimer);
  source?.disconnect();
  source = null;
  stream?.getTracks().forEach((track) => track.stop());
  stream = null;
  preview.srcObject = null;
  meter.value = 0;
}

// Ten readings a second of the microphone's loudness (RMS), enough to see it move when speaking
// without keeping a cheap phone busy.
function watchLevel(track) {
  if (!AudioCtx) return;
  const ctx = context();
  source = ctx.createMediaStreamSource(new MediaStream([track]));
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 512;
  // Some browsers only run nodes that lead to the speakers: route there silently, no echo.
  const silent = ctx.createGain();
  silent.gain.value = 0;
  source.connect(analyser);
  analyser.connect(silent);
  silent.connect(ctx.destination);
  const samples = new Uint8Array(analyser.fftSize);
  levelTimer = setInterval(() => {
    analyser.getByteTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += ((sample - 128) / 128) ** 2;
    // Speech is rarely above 0.3 RMS; scale so a normal voice fills most of the meter.
    meter.value = Math.min(1, Math.sqrt(sum / samples.length) * 3);
  }, 100);
}

async function checkDevices() {
  stop();
  const both = await ask({ audio: true, video: true });
  let camera = both;
  let mic = both;
  if (!both.stream && !denied(both.error)) {
    // One of the two is missing (or busy): ask for each alone to learn which.
    mic = await ask({ audio: true });
    camera = await ask({ video: true });
  }
  stream = new MediaStream([...(mic.stream?.getAudioTracks() ?? []), ...(camera.stream?.getVideoTracks() ?? [])]);
  const video = stream.getVideoTracks()[0];
  const sound = stream.getAudioTracks()[0];
  if (video) preview.srcObject = stream;
  if (sound) watchLevel(sound);

  const cameraText = video ? strings.cameraOk : denied(camera.error) ? strings.cameraDenied : strings.cameraMissing;
  const micText = sound ? strings.micOk : denied(mic.error) ? strings.micDenied : strings.micMissing;
  show('check-camera', cameraText, Boolean(video));
  show('check-mic', micText, Boolean(sound));
  const advice = [];
  if (denied(camera.error) || denied(mic.error)) advice.push(strings.helpDenied);
  if (!video && !denied(camera.error)) {
    sessionStorage.setItem('haven-visit-audio-only', '1');
    if (sound) advice.push(strings.audioOnlyContinue);
  } else if (video) {
    // A camera found on a re-run (plugged in, or allowed) undoes an earlier audio-only choice.
    sessionStorage.removeItem('haven-visit-audio-only');
  }
  if (!sound && !denied(mic.error)) advice.push(strings.helpMissing);
  help.textContent = advice.join(' ');
}

async function checkNetwork() {
  const started = performance.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 10000);
  try {
    const response = await fetch(section.dataset.healthUrl, { cache: 'no-store', signal: abort.signal });
    if (!response.ok) throw new Error(String(response.status));
    show('check-network', strings.networkOk.replace('%s', String(Math.round(performance.now() - started))), true);
  } catch {
    show('check-network', strings.networkFailed, false);
  } finally {
    clearTimeout(timer);
  }
}

// Gathers relay candidates only: one of type "relay" within 5 s means the TURN server answered
// and accepted our credentials, so the visit will connect even behind a strict firewall. An
// error from one server is not final while another may still answer; gathering ending (or the
// 5 s passing) without a relay candidate is.
function checkTurn() {
  const config = JSON.parse(section.dataset.ice || '{}');
  const urls = (config.iceServers ?? []).flatMap((server) => [].concat(server.urls ?? server.url ?? []));
  if (!urls.some((url) => /^turns?:/i.test(url))) {
    show('check-turn', strings.turnNone, false);
    return Promise.resolve();
  }
  let pc;
  try {
    pc = new RTCPeerConnection({ ...config, iceTransportPolicy: 'relay' });
  } catch {
    show('check-turn', strings.turnFailed, false);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    let done = false;
    const finish = (ok) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      pc.close();
      show('check-turn', ok ? strings.turnOk : strings.turnFailed, ok);
      resolve();
    };
    const timer = setTimeout(() => finish(false), 5000);
    pc.addEventListener('icecandidate', ({ candidate }) => {
      if (!candidate) finish(false);
      else if (candidate.type === 'relay' || / typ relay /.test(candidate.candidate)) finish(true);
    });
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') finish(false);
    });
    pc.createDataChannel('check');
    pc.createOffer().then((offer) => pc.setLocalDescription(offer)).catch(() => finish(false));
  });
}

async function run() {
  if (running) return;
  running = true;
  for (const id of ['check-camera', 'check-mic', 'check-network', 'check-turn']) show(id, strings.checking, null);
  help.textContent = '';
  await Promise.all([checkDevices(), checkNetwork(), checkTurn()]);
  running = false;
}

$('speaker-test').addEventListener('click', () => {
  if (!AudioCtx) return;
  const ctx = context();
  const tone = ctx.createOscillator();
  const volume = ctx.createGain();
  tone.frequency.value = 440;
  volume.gain.value = 0.2;
  tone.connect(volume);
  volume.connect(ctx.destination);
  tone.start();
  tone.stop(ctx.currentTime + 1);
});

$('run-check').addEventListener('click', run);
// The first tap or key press lets a suspended meter start moving.
document.addEventListener('pointerdown', () => audio?.resume(), { once: true });
document.addEventListener('keydown', () => audio?.resume(), { once: true });
window.addEventListener('pagehide', () => {
  stop();
  audio?.close();
  audio = null;
});
// Back to this page from the history cache: the devices were released, so check again.
window.addEventListener('pageshow', (event) => {
  if (event.persisted) run();
});
run();
