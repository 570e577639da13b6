// The video visit room, for both sides: the patient's waiting room, the clinician's lobby and
// the call itself. Signaling goes over the signed-in WebSocket; media goes peer to peer (or
// through the practice's TURN relay). Only the patient page makes offers, so offers never
// collide; the clinician page answers, and starts a fresh connection whenever an offer carries
// a session it hasn't seen. Everything the person should know is written to the status line,
// which screen readers announce.

const $ = (id) => document.getElementById(id);
const section = $('visit');
const strings = $('visit-strings').dataset;
const visit = section.dataset.visit;
const patient = section.dataset.role === 'patient';
const phone = section.dataset.modality === 'phone';
const statusLine = $('visit-status');
const alertBox = $('visit-alert');
const call = $('call');
const remoteVideo = $('remote-video');
const localVideo = $('local-video');
const panel = $('emergency-panel');
const hint = $('quality-hint');
const admit = $('admit');
const lobbyStatus = $('lobby-status');

let socket = null;
let retry = 500;
let rejoined = false; // the socket came back while a call was on
let leaving = false;
let state = null; // the visit: waiting | admitted | ended
let mode = 'video'; // what this side chose: video | audio
let theirs = 'video'; // what the other side chose, as its last visit-media frame said
let media = null; // promise of the local MediaStream (or null), once the call has started
let local = null;
let sharing = null; // the screen track while sharing
let pc = null;
let session = null;
let chain = Promise.resolve();
let link = 'new'; // the connection as last seen: new | connecting | connected | disconnected | failed
let everConnected = false;
let peerAway = false;
// Patient: restart ICE after a blip. Clinician: show the emergency panel. Both: 20 s limit.
let [outageTimer, panelTimer, connectTimer, statsTimer] = [0, 0, 0, 0];
let lastStats = null;
let poor = 0; // consecutive poor stats readings
let waitingSince = null;

const fill = (text, ...values) => values.reduce((t, v) => t.replace('%s', String(v)), text ?? '');
// Elements that only one role's page (or only video visits) has are looked up each time.
const hide = (id, hidden) => $(id) && ($(id).hidden = hidden);
const disable = (id, disabled) => $(id) && ($(id).disabled = disabled);
const setText = (id, text) => $(id) && ($(id).textContent = text ?? '');

function say(text) {
  if (text) statusLine.textContent = text;
}

// Problems that must not pass unnoticed go to the alert region as well as the status line.
function warn(text) {
  alertBox.textContent = text ?? '';
  say(text);
}

function send(type, extra = {}) {
  if (!socket || socket.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify({ type, visit, ...extra }));
  return true;
}

function setToggle(id, pressed, label) {
  $(id)?.setAttribute('aria-pressed', String(pressed));
  if ($(id) && label) $(id).textContent = label;
}

// Signals are handled one at a time, in arrival order: a candidate must never be added before
// the description it belongs to has been set. A failed step doesn't stop the ones after it.
function enqueue(step) {
  chain = chain.then(step).catch((error) => console.warn('visit signaling', error));
}

const audioTrack = () => local?.getAudioTracks()[0] ?? null;
const cameraTrack = () => local?.getVideoTracks()[0] ?? null;
// Either side choosing audio only makes the whole call audio only: the person on a weak link
// needs what they receive to drop, not only what they send.
const audioCall = () => mode === 'audio' || theirs === 'audio';
// What each sender should carry now: nothing for video in an audio-only call, else the
// screen while sharing, else the camera.
const trackFor = (kind) => (kind === 'audio' ? audioTrack() : audioCall() ? null : sharing ?? cameraTrack());
const sender = (kind) => pc?.getTransceivers().find((t) => t.receiver.track.kind === kind)?.sender;
const ask = (constraints) => navigator.mediaDevices?.getUserMedia(constraints).catch(() => null) ?? null;
const canShare = () => Boolean(navigator.mediaDevices?.getDisplayMedia) && !audioCall();

// Camera and microphone. Without a camera (none, refused, busy, or the device check found
// none) the visit goes on audio-only; without either, the person can still see, hear and type.
async function getMedia() {
  let stream = null;
  if (sessionStorage.getItem('haven-visit-audio-only') !== '1') stream = await ask({ audio: true, video: true });
  if (!stream) {
    stream = await ask({ audio: true });
    say(strings.noCamera);
  }
  local = stream;
  if (!cameraTrack()) {
    mode = 'audio';
    setToggle('audio-only', true, strings.labelVideo);
    for (const id of ['audio-only', 'camera']) disable(id, true);
  }
  disable('mute', !audioTrack());
  disable('share', !canShare());
  localVideo.hidden = audioCall();
  if (cameraTrack()) localVideo.srcObject = local;
  return local;
}

// Camera and microphone are opened while waiting (the patient in the waiting room, the
// clinician once someone is there), so admitting starts the call without that delay. The
// patient's page also prepares its offer while waiting and holds it (and its candidates):
// nothing leaves before admission; once admitted, it goes at once.
let warm = null;
let held = null;
function warmUp() {
  if (phone || warm || media) return;
  warm = getMedia();
  if (patient) {
    warm.then(() => {
      if (state === 'waiting' && !pc && !held) {
        held = [];
        rebuild();
      }
    });
  }
}

function release() {
  const queued = held ?? [];
  held = null;
  for (const data of queued) send('visit-signal', { data });
}

function startCall() {
  if (media) return;
  if (call) call.hidden = false;
  // The call view: the other person large, this side small in a corner, the controls always
  // on screen; the page's own header and footer step back (the crisis link stays).
  document.body.classList.add('in-call');
  hide('lobby', true);
  // A preview that started while hidden can stay paused in some browsers: start it again.
  for (const v of [localVideo, remoteVideo]) v?.play?.().catch(() => {});
  if (patient) say(strings.admitted);
  if (phone) {
    media = Promise.resolve(null); // phone visits: the clinician calls; no media here
    return;
  }
  if (!patient) say(strings.connecting);
  media = warm ?? getMedia();
  statsTimer = setInterval(pollStats, 5000);
  if (patient && held) release();
  else if (patient) rebuild();
  armConnectTimer();
}

function openPc(id) {
  pc?.close();
  shaped = audioCall(); // its first offer is shaped as the call is now
  const ice = JSON.parse(section.dataset.ice || '{}');
  if (sessionStorage.getItem('haven-ice-policy') === 'relay') ice.iceTransportPolicy = 'relay';
  const peer = new RTCPeerConnection(ice);
  const remote = new MediaStream();
  let gathered = 0;
  let turnReported = false;
  const turnFailed = () => {
    if (!turnReported && peer === pc) warn(strings.turnFailed);
    turnReported = true;
  };
  [pc, session, link, lastStats] = [peer, id, 'new', null];
  peer.addEventListener('track', ({ track, streams }) => {
    // The far side names its stream: attach it once (re-attaching restarts the element's
    // loading and delays the first picture). Without one, collect the tracks ourselves.
    const stream = streams[0] ?? remote;
    if (!streams[0]) remote.addTrack(track);
    if (remoteVideo.srcObject !== stream) remoteVideo.srcObject = stream;
    remoteVideo.play().catch(() => {});
  });
  peer.addEventListener('icecandidate', ({ candidate }) => {
    if (peer !== pc || !candidate?.candidate) return;
    gathered += 1;
    signal({ candidate: candidate.toJSON() });
  });
  peer.addEventListener('icecandidateerror', (event) => event.errorCode === 401 && turnFailed());
  peer.addEventListener('icegatheringstatechange', () => {
    if (peer.iceGatheringState === 'complete' && !gathered && ice.iceTransportPolicy === 'relay') turnFailed();
  });
  const changed = () => peer === pc && onLink();
  peer.addEventListener('iceconnectionstatechange', changed);
  peer.addEventListener('connectionstatechange', changed);
  if (patient) peer.addEventListener('negotiationneeded', () => enqueue(() => offer(peer)));
  clearTimeout(outageTimer);
  clearTimeout(connectTimer);
  outageTimer = connectTimer = 0;
  armConnectTimer();
  return peer;
}

const signal = (data) => (held ? held.push({ session, ...data }) : send('visit-signal', { data: { session, ...data } }));

// Patient: a new connection with a new session id. Used when the call starts, and whenever the
// clinician's page may have lost its side (it came back, or our own socket was away while the
// call was down): the clinician page then replaces its connection instead of mixing old and new.
function rebuild() {
  enqueue(async () => {
    const stream = await (media ?? warm);
    if (state === 'ended' || leaving) return;
    const peer = openPc(crypto.randomUUID());
    for (const kind of ['audio', 'video']) {
      peer.addTransceiver(trackFor(kind) ?? kind, { direction: 'sendrecv', streams: stream ? [stream] : [] });
    }
    // negotiationneeded follows, and makes the offer.
  });
}

async function offer(peer, iceRestart = false) {
  if (peer !== pc || peer.signalingState !== 'stable') return;
  await peer.setLocalDescription(await peer.createOffer({ iceRestart }));
  const { type, sdp } = peer.localDescription;
  if (peer === pc) signal({ description: { type, sdp: shape(sdp, audioCall()) } });
}

// What this page asks the far side to send, in the description it signals (its own local
// description stays as the browser made it). In an audio-only call: Opus in 60 ms packets at
// 16 kbit/s with DTX. At 20 ms, packet headers alone cost about 28 kbit/s; at 60 ms, 9.
const SLOW_PTIME = 'a=ptime:60';
function shape(sdp, audioOnly) {
  const opus = audioOnly && sdp.match(/a=rtpmap:(\d+) opus\/48000/i)?.[1];
  if (!opus) return sdp;
  return sdp.replace(new RegExp(`a=fmtp:${opus} ([^\r\n]*)`), (line, params) => {
    const wanted = ['maxaveragebitrate=16000', 'usedtx=1'].filter((p) => !params.includes(p.split('=')[0]));
    return `${[line, ...wanted].join(';')}\r\n${SLOW_PTIME}`;
  });
}

function restartIce() {
  if (pc?.restartIce) pc.restartIce(); // negotiationneeded then offers with new ICE credentials
  else if (pc) enqueue(() => offer(pc, true));
}

function onSignal(data) {
  if (phone || !data) return;
  enqueue(async () => {
    const fresh = !patient && data.description?.type === 'offer' && data.session !== session;
    if (fresh) {
      startCall(); // a reloaded clinician page rejoining an admitted visit
      await media;
      if (state === 'ended' || leaving) return;
      openPc(data.session);
    }
    const peer = pc;
    if (!peer || data.session !== session) return; // left over from a replaced connection
    if (data.candidate) return peer.addIceCandidate(data.candidate).catch(() => {});
    if (!data.description) return;
    await peer.setRemoteDescription(data.description);
    if (data.description.type !== 'offer') return;
    if (fresh) {
      // Answer on the transceivers the offer made, so switching tracks later needs no renegotiation.
      for (const t of peer.getTransceivers()) {
        t.direction = 'sendrecv';
        if (local) t.sender.setStreams?.(local);
        await t.sender.replaceTrack(trackFor(t.receiver.track.kind));
      }
    }
    await peer.setLocalDescription(await peer.createAnswer());
    const { type, sdp } = peer.localDescription;
    // An offer asking for slow packets is an audio-only call, even if its visit-media frame
    // hasn't arrived yet.
    const slow = audioCall() || data.description.sdp.includes(SLOW_PTIME);
    if (peer === pc) signal({ description: { type, sdp: shape(sdp, slow) } });
  });
}

function armConnectTimer() {
  if (connectTimer || phone || held) return;
  connectTimer = setTimeout(() => {
    connectTimer = 0;
    if (link === 'connected' || state === 'ended') return;
    warn(strings.connectFailed);
    // A lost offer or a half-gone far side: the patient starts over (which re-arms the timer).
    if (patient && pc) rebuild();
    else armConnectTimer();
  }, 20000);
}

function onLink() {
  const value = pc.connectionState ?? pc.iceConnectionState;
  const now = { completed: 'connected', checking: 'connecting' }[value] ?? value;
  if (now === link) return;
  link = now;
  if (now === 'connected') {
    for (const timer of [outageTimer, panelTimer, connectTimer]) clearTimeout(timer);
    outageTimer = panelTimer = connectTimer = 0;
    everConnected = true;
    alertBox.textContent = '';
    if (!hidePanel()) say(strings.connected);
    send('visit-connected');
    send('visit-media', { mode });
    capAudio(audioCall());
  } else if (now === 'disconnected' || now === 'failed') {
    say(everConnected ? strings.reconnecting : strings.connecting);
    armConnectTimer();
    if (patient) {
      // A short blip often heals by itself; after 2 s (at once if failed) look for new routes.
      clearTimeout(outageTimer);
      outageTimer = setTimeout(restartIce, now === 'failed' ? 0 : 2000);
    } else if (!panelTimer) {
      panelTimer = setTimeout(showPanel, 3000);
    }
  }
}

// Clinician: the patient may be in trouble when the call drops. Their location, phone and
// emergency contact are already on the page; show them and move focus there.
function showPanel() {
  panelTimer = 0;
  if (!panel || !panel.hidden || state !== 'admitted') return;
  panel.hidden = false;
  alertBox.textContent = $('emergency-heading')?.textContent.trim() ?? '';
  panel.focus();
}

function hidePanel() {
  clearTimeout(panelTimer);
  panelTimer = 0;
  if (!panel || panel.hidden) return false;
  const hadFocus = panel.contains(document.activeElement);
  panel.hidden = true;
  alertBox.textContent = '';
  say(strings.peerBack);
  if (hadFocus) call?.querySelector('.controls button:not([disabled])')?.focus();
  return true;
}

// Speech needs little: Opus at 16 kbit/s in an audio-only call (about 30 kbit/s on the wire
// with packet headers) leaves the rest of a weak connection to keeping the call up.
async function capAudio(on) {
  const audio = sender('audio');
  const params = audio?.getParameters();
  if (!params?.encodings?.length) return; // not negotiated yet: done again once connected
  if (on) params.encodings[0].maxBitrate = AUDIO_ONLY_BPS;
  else delete params.encodings[0].maxBitrate;
  await audio.setParameters(params).catch(() => {});
}
const AUDIO_ONLY_BPS = 16000;

const sendVideo = () => sender('video')?.replaceTrack(trackFor('video')).catch(() => {});

// Puts what this page sends and shows in line with both sides' choices. The patient's page,
// which makes the offers, renegotiates so that both sides' packets suit the call.
let shaped = false;
function applyMode() {
  const on = audioCall();
  if (patient && pc && on !== shaped) {
    shaped = on;
    enqueue(() => offer(pc));
  }
  if (on) endShare(false);
  sendVideo();
  capAudio(on);
  localVideo.hidden = on;
  remoteVideo.hidden = on;
  disable('share', !canShare());
  if (on) hide('quality-hint', true);
}

function setMode(next) {
  if (next === mode || (next === 'video' && !cameraTrack())) return;
  mode = next;
  const audioOnly = mode === 'audio';
  applyMode();
  send('visit-media', { mode });
  setToggle('audio-only', audioOnly, audioOnly ? strings.labelVideo : strings.labelAudioOnly);
  say(audioOnly ? strings.audioOnlyOn : theirs === 'audio' ? strings.peerStillAudioOnly : strings.audioOnlyOff);
}

// The other side switched: their choice holds for the whole call, and this page says so.
function onTheirMode(next) {
  const was = audioCall();
  theirs = next === 'audio' ? 'audio' : 'video';
  hide('remote-audio-only', theirs !== 'audio');
  applyMode();
  if (mode === 'video' && was !== audioCall()) say(audioCall() ? strings.peerAudioOnly : strings.audioOnlyOff);
}

async function share() {
  if (sharing) return endShare(true);
  const screen = await navigator.mediaDevices.getDisplayMedia({ video: true }).catch(() => null);
  if (!screen) return; // the person cancelled the picker
  sharing = screen.getVideoTracks()[0];
  sharing.addEventListener('ended', () => endShare(true)); // stopped from the browser's own bar
  await sendVideo();
  setToggle('share', true, strings.labelStopShare);
  say(strings.shareOn);
}

function endShare(announce) {
  if (!sharing) return;
  sharing.stop();
  sharing = null;
  sendVideo();
  setToggle('share', false, strings.labelShare);
  if (announce) say(strings.shareOff);
}

// Every 5 s while connected: round trip, loss and bitrate over the last interval, for the
// server's summary, and to suggest audio-only when the connection is poor.
async function pollStats() {
  const peer = pc;
  if (!peer || link !== 'connected') return;
  const report = await peer.getStats().catch(() => null);
  if (!report || peer !== pc) return;
  let pair = null;
  const now = { peer, lost: 0, received: 0, bytes: 0, at: performance.now() };
  // The pair in use: named by the transport (Chrome, Safari) or marked selected (Firefox).
  report.forEach((s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId) ?? pair;
    else if (s.type === 'candidate-pair' && !pair && (s.selected || s.nominated)) pair = s;
    else if (s.type === 'inbound-rtp') {
      now.lost += Math.max(0, s.packetsLost || 0);
      now.received += s.packetsReceived || 0;
      now.bytes += s.bytesReceived || 0;
    }
  });
  const prev = lastStats?.peer === peer ? lastStats : { lost: 0, received: 0, bytes: 0, at: now.at };
  lastStats = now;
  const lost = Math.max(0, now.lost - prev.lost);
  const total = lost + Math.max(0, now.received - prev.received);
  const rtt = pair?.currentRoundTripTime != null ? Math.round(pair.currentRoundTripTime * 1000) : null;
  const loss = total > 0 ? Math.round((1000 * lost) / total) / 10 : null;
  const kbps = now.at > prev.at ? Math.round(((now.bytes - prev.bytes) * 8) / (now.at - prev.at)) : null;
  send('visit-stats', { rtt_ms: rtt, loss_pct: loss, kbps, mode });
  poor = (loss ?? 0) > 5 || (rtt ?? 0) > 600 ? poor + 1 : 0;
  if (poor >= 2 && mode === 'video' && hint?.hidden) {
    hint.hidden = false;
    say(strings.poorConnection);
  }
}

function teardown() {
  for (const timer of [outageTimer, panelTimer, connectTimer]) clearTimeout(timer);
  clearInterval(statsTimer);
  sharing?.stop();
  local?.getTracks().forEach((track) => track.stop());
  pc?.close();
  pc = null;
}

// Sends the last frame and closes the socket ourselves (what is queued goes out first), then
// leaves the page; after a second it leaves regardless.
function depart(type, url) {
  leaving = true;
  if (type) send(type);
  teardown();
  let gone = false;
  const go = () => {
    if (!gone) location.assign(url);
    gone = true;
  };
  if (socket?.readyState !== WebSocket.OPEN) return go();
  socket.addEventListener('close', go);
  socket.close(1000);
  setTimeout(go, 1000);
}

function ended() {
  state = 'ended';
  if (patient) return depart(null, section.dataset.doneUrl);
  teardown();
  if (call) call.hidden = true;
  document.body.classList.remove('in-call');
  disable('admit', true);
  say(strings.ended);
}

// Clinician lobby while the visit is waiting: who is there, and for how long (every 30 s).
function lobby(waiting, since) {
  if (!admit) return;
  // This page was drawn before the patient checked in, so it lacks their safety details
  // (emergency panel, licence warning, call-back number): draw it again, now with them.
  if (waiting && !panel) return location.reload();
  admit.disabled = !waiting;
  if (waiting) {
    waitingSince = since ? Date.parse(since) : waitingSince ?? Date.now();
    showWaiting();
  } else if (waitingSince !== null) {
    waitingSince = null;
    lobbyStatus.textContent = strings.patientGone;
  }
}

function showWaiting() {
  if (waitingSince === null || !lobbyStatus) return;
  const minutes = Math.max(0, Math.floor((Date.now() - waitingSince) / 60000));
  const text = fill(strings.patientWaiting, section.dataset.peerName, minutes);
  if (lobbyStatus.textContent !== text) lobbyStatus.textContent = text;
}

function onState(frame) {
  state = frame.state;
  if (state === 'ended') return ended();
  if (patient) {
    hide('waiting', state !== 'waiting');
    if (state === 'waiting') {
      setText('waiting-note', frame.note);
      say(strings.waiting);
      warmUp();
    } else if (!media) {
      startCall();
    } else if (rejoined && link !== 'connected' && !phone) {
      rebuild(); // our socket was away: what the clinician sent meanwhile is lost
    }
  } else if (state === 'waiting') {
    lobby(frame.peer_present, frame.waiting_since);
    if (frame.peer_present) warmUp();
  } else {
    waitingSince = null; // admitted: the lobby's waiting time no longer applies
    disable('admit', true);
    setText('lobby-status', '');
    startCall();
    if (!frame.peer_present) showPanel();
  }
  rejoined = false;
}

function onPeer(present) {
  if (!patient && state === 'waiting') {
    if (present) {
      say(strings.patientArrived);
      warmUp();
    }
    return lobby(present, null);
  }
  if (state !== 'admitted') return;
  if (!present) {
    peerAway = true;
    say(strings.peerLeft);
    if (!patient) showPanel();
  } else if (peerAway) {
    peerAway = false;
    if (!patient && (phone || link === 'connected')) hidePanel();
    if (!patient) return;
    say(strings.peerBack);
    if (media && !phone) rebuild(); // the clinician's page may be a new one: start clean
  }
}

let unreadChat = 0;
function addChat(who, text, mine = false) {
  const item = document.createElement('li');
  const name = document.createElement('strong');
  name.textContent = who ?? '';
  item.append(name, ': ', text);
  $('chat-log').append(item);
  // The chat is a panel the person opens; while it is closed, say that something came.
  if (!mine && !$('chat')?.open) {
    unreadChat += 1;
    setText('chat-unread', fill(strings.chatUnread, unreadChat));
    say(fill(strings.chatNew, who ?? ''));
  }
}
$('chat')?.addEventListener('toggle', () => {
  if (!$('chat').open) return;
  unreadChat = 0;
  setText('chat-unread', '');
  $('chat-text')?.focus();
});

// Questionnaires during the call. The clinician sends one; the patient's side fetches the
// same form the start page links to and shows it in the call, posting it without leaving
// the page; the score comes back to the clinician's side over the socket.
$('measure-form')?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = new URLSearchParams({ instrument: $('measure-instrument').value });
  const response = await fetch(`/visits/${visit}/measures`, { method: 'POST', body, credentials: 'same-origin' }).catch(() => null);
  if (response?.ok) return say(strings.measureSent);
  const problem = await response?.json().catch(() => null);
  warn(problem?.message ?? strings.error);
});

function onMeasureResult(frame) {
  const item = document.createElement('li');
  item.textContent = frame.summary;
  $('measure-results')?.append(item);
  if ($('measures-send')) $('measures-send').open = true;
  say(frame.summary);
}

// Puts what the server answered (the form again, or the thank-you) in the panel.
function showMeasureHtml(text) {
  const doc = new DOMParser().parseFromString(text, 'text/html');
  const form = doc.querySelector('form.questionnaire');
  const body = $('measure-body');
  if (form) {
    const parts = [doc.querySelector('.error-summary'), form].filter(Boolean);
    body.replaceChildren(...parts.map((n) => document.adoptNode(n)));
    body.querySelector('form').addEventListener('submit', sendMeasure);
    body.querySelector('.error-summary')?.focus();
  } else {
    const main = doc.getElementById('main');
    // The thank-you (or, after a worrying answer, the crisis lines) without its links away.
    main?.querySelectorAll('a[href="/home"]').forEach((a) => a.remove());
    body.replaceChildren(...[...(main?.children ?? [])].map((n) => document.adoptNode(n)));
  }
}

async function sendMeasure(event) {
  event.preventDefault();
  const form = event.target;
  const data = new URLSearchParams(new FormData(form, event.submitter));
  // getAttribute: the form's buttons are named "action", which `form.action` would return.
  const response = await fetch(form.getAttribute('action'), { method: 'POST', body: data, credentials: 'same-origin' }).catch(() => null);
  if (!response) return warn(strings.error);
  showMeasureHtml(await response.text());
}

async function onMeasure(frame) {
  const response = await fetch(`/check-ins/${frame.request}`, { credentials: 'same-origin' }).catch(() => null);
  if (!response?.ok) return;
  showMeasureHtml(await response.text());
  hide('measure-panel', false);
  $('measure-panel').focus();
  say(strings.measureArrived);
}

function onFrame(frame) {
  switch (frame.type) {
    case 'visit-measure': return onMeasure(frame);
    case 'visit-measure-result': return onMeasureResult(frame);
    case 'visit-state': return onState(frame);
    case 'visit-admitted':
      state = 'admitted';
      hide('waiting', true);
      return startCall();
    case 'visit-note': return setText('waiting-note', frame.text);
    case 'visit-signal': return onSignal(frame.data);
    case 'visit-chat': return addChat(frame.from, frame.text);
    case 'visit-media': return onTheirMode(frame.mode);
    case 'visit-peer': return onPeer(frame.present);
    case 'visit-ended': return ended();
    case 'visit-error': {
      if (frame.code === 'ended') return ended();
      // data-error-not-admitted and so on, with data-error as the general fallback.
      const key = 'error' + String(frame.code ?? '').replace(/(^|-)(\w)/g, (_, dash, c) => c.toUpperCase());
      return say(strings[key] ?? strings.error);
    }
  }
}

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  socket = new WebSocket(scheme + location.host + '/ws');
  socket.addEventListener('open', () => {
    retry = 500;
    rejoined = media !== null;
    send('visit-join'); // after every reconnect too: the server forgets a closed socket's room
  });
  socket.addEventListener('message', (event) => {
    const frame = JSON.parse(event.data);
    if (frame.visit === visit) onFrame(frame); // messaging frames share the socket
  });
  socket.addEventListener('close', (event) => {
    if (event.code === 4401) return location.assign('/sign-in');
    if (leaving) return;
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 5000);
  });
}

// Mute and camera-off keep the track and send silence / black frames: no renegotiation.
function toggleTrack(id, track, labels, announcements) {
  if (!track) return;
  track.enabled = !track.enabled;
  setToggle(id, !track.enabled, labels[Number(track.enabled)]);
  say(announcements[Number(track.enabled)]);
}

const { labelMute, labelUnmute, muted, unmuted, labelCameraOn, labelCameraOff, cameraOn, cameraOff } = strings;
$('mute')?.addEventListener('click', () => toggleTrack('mute', audioTrack(), [labelUnmute, labelMute], [muted, unmuted]));
$('camera')?.addEventListener('click', () =>
  toggleTrack('camera', cameraTrack(), [labelCameraOn, labelCameraOff], [cameraOff, cameraOn]),
);
$('audio-only')?.addEventListener('click', () => setMode(mode === 'audio' ? 'video' : 'audio'));
$('suggest-audio')?.addEventListener('click', () => setMode('audio'));
$('share')?.addEventListener('click', share);
$('leave')?.addEventListener('click', () => depart('visit-leave', section.dataset.doneUrl));
// Ending is for both sides and can't be undone: it asks first.
const askEnd = (open) => {
  hide('end-confirm', !open);
  $('end-ask')?.setAttribute('aria-expanded', String(open));
  (open ? $('end') : $('end-ask'))?.focus();
};
$('end-ask')?.addEventListener('click', () => askEnd(true));
$('end-no')?.addEventListener('click', () => askEnd(false));
$('end')?.addEventListener('click', () => depart('visit-end', '/home'));

admit?.addEventListener('click', () => {
  if (!send('visit-admit')) return;
  admit.disabled = true;
  startCall(); // camera permission and preview while the patient's page gets ready
});

// Notes and chat go over the socket only; if it is away, the text stays in the box.
function onSubmit(formId, boxId, type, done) {
  $(formId)?.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $(boxId).value.trim();
    if (!text || !send(type, { text })) return;
    $(boxId).value = '';
    done(text);
  });
}
onSubmit('note-form', 'note-text', 'visit-note', () => say(strings.noteSent));
onSubmit('chat-form', 'chat-text', 'visit-chat', (text) => addChat(strings.you, text, true));

setInterval(showWaiting, 30000);
// Waiting for the other side or in the call is activity: the idle sign-out (session.js)
// must never cut a visit, however long nobody touches the keyboard.
setInterval(() => (state === 'waiting' || state === 'admitted') && document.dispatchEvent(new Event('haven:active')), 60000);
window.addEventListener('pagehide', () => {
  leaving = true;
  teardown();
});
// Back from the history cache with the socket and the call gone: start over.
window.addEventListener('pageshow', (event) => event.persisted && location.reload());

window.havenVisit = {
  get pc() { return pc; },
  get state() { return state; },
  get mode() { return mode; },
  get audioCall() { return audioCall(); },
  /** Resolves once the camera and microphone are open (or known to be missing). */
  get ready() { return (media ?? warm ?? Promise.resolve(null)).then(() => true); },
};

connect();
