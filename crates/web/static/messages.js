// Live secure messaging on top of the plain form. Messages arrive over the signed-in
// WebSocket as they are stored; sending goes over the socket with a client id, so a resend
// after a dropped connection stores nothing twice; the text stays in the box until the
// server has acknowledged it. After every reconnect the page resumes from the last message
// number it has, and receives exactly what it missed. Files still go through the form.

const section = document.getElementById('conversation');
const list = document.getElementById('message-list');
const form = document.getElementById('compose');
const box = document.getElementById('body');
const status = document.getElementById('send-status');
const receipt = document.getElementById('read-receipt');
const strings = document.getElementById('live-strings').dataset;
const thread = section.dataset.thread;
const me = section.dataset.me;
const fileInput = document.getElementById('file');
const maxFileBytes = Number(fileInput?.dataset.maxBytes || 0);
// Times as the server writes them (ICU, CLDR): "Wed, Dec 2, 11:00 AM CST", in the page's
// zone and its language's US conventions, so live messages read like those already there.
const zone = section.dataset.zone || 'UTC';
const locale = document.documentElement.lang === 'es' ? 'es-US' : 'en-US';
function whenLabel(at) {
  const date = new Date(at);
  const year = (d) => new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric' }).format(d);
  const options = { timeZone: zone, weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' };
  if (year(date) !== year(new Date())) options.year = 'numeric';
  return new Intl.DateTimeFormat(locale, options).format(date);
}
// The server's reason for a refusal ("message-error-long" -> data-message-error-long), or
// the general one.
const reason = (code) => strings[String(code ?? '').replace(/-(\w)/g, (_, c) => c.toUpperCase())] ?? strings.failed;
let lastSeq = Number(section.dataset.lastSeq || 0);
let socket = null;
let retry = 500;
// Sent but not yet acknowledged: client id -> text. Resent after every reconnect.
const pending = new Map();

function render(m) {
  if (list.querySelector(`[data-seq="${m.seq}"]`)) return;
  document.getElementById('no-messages')?.remove();
  const item = document.createElement('li');
  item.className = `message${m.mine ? ' mine' : ''}${m.automatic ? ' automatic' : ''}`;
  item.dataset.seq = String(m.seq);
  const meta = document.createElement('p');
  meta.className = 'meta';
  const who = document.createElement('strong');
  who.textContent = m.sender_name;
  meta.append(who, ` · ${whenLabel(m.at)}`);
  item.append(meta);
  if (m.body) {
    const body = document.createElement('p');
    body.className = 'body';
    body.textContent = m.body;
    item.append(body);
  }
  if (m.file) {
    const p = document.createElement('p');
    const a = document.createElement('a');
    a.href = m.file.url;
    a.setAttribute('download', '');
    a.textContent = `${m.file.name} (${Math.ceil(m.file.size / 1024)} KB)`;
    p.append(a);
    item.append(p);
  }
  list.append(item);
  if (!m.mine) status.textContent = strings.new.replace('%s', m.sender_name);
}

function send(frame) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
}

function markRead() {
  if (document.visibilityState === 'visible' && lastSeq > 0) send({ type: 'read', thread, seq: lastSeq });
}

function showReceipt(read, who) {
  const mine = [...list.querySelectorAll('li.mine')].pop();
  if (!mine) return;
  const seq = Number(mine.dataset.seq);
  const readers = Object.entries(read).filter(([user, upTo]) => user !== me && upTo >= seq).map(([user]) => who[user]).filter(Boolean).sort();
  receipt.textContent = readers.length ? strings.read.replace('%s', readers.join(', ')) : '';
}

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  socket = new WebSocket(`${scheme}://${location.host}/ws`);
  socket.addEventListener('open', () => {
    retry = 500;
    send({ type: 'follow', thread, after: lastSeq });
    for (const [clientId, body] of pending) send({ type: 'send', thread, client_id: clientId, body });
  });
  socket.addEventListener('message', (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type === 'message' && frame.thread === thread) {
      if (frame.seq > lastSeq) {
        render(frame);
        lastSeq = frame.seq;
      }
      if (frame.client_id) pending.delete(frame.client_id);
    } else if (frame.type === 'synced') {
      markRead();
    } else if (frame.type === 'ack') {
      pending.delete(frame.client_id);
      if (pending.size === 0) status.textContent = strings.sent;
    } else if (frame.type === 'receipts' && frame.thread === thread) {
      showReceipt(frame.read, frame.names ?? {});
    } else if (frame.type === 'error' && frame.client_id && pending.has(frame.client_id)) {
      // Refused (too long, too many…): nothing was stored; the text goes back in the box,
      // and the person is told why.
      if (!box.value.trim()) box.value = pending.get(frame.client_id);
      pending.delete(frame.client_id);
      status.textContent = reason(frame.code);
    }
  });
  socket.addEventListener('close', (event) => {
    if (event.code === 4401) {
      location.assign('/sign-in');
      return;
    }
    if (pending.size) status.textContent = strings.offline;
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 10000);
  });
}

form.addEventListener('submit', (event) => {
  const file = fileInput?.files[0];
  // Too large for the server: say so before uploading it, and keep the text.
  if (file && maxFileBytes && file.size > maxFileBytes) {
    event.preventDefault();
    status.textContent = strings.messageErrorFileLarge;
    fileInput.focus();
    return;
  }
  // Files, and the first message before the socket is up, go through the plain form.
  if (file || !socket || socket.readyState !== WebSocket.OPEN) return;
  event.preventDefault();
  const body = box.value;
  if (!body.trim()) {
    status.textContent = strings.messageErrorEmpty;
    box.focus();
    return;
  }
  const clientId = crypto.randomUUID();
  pending.set(clientId, body);
  status.textContent = strings.sending;
  send({ type: 'send', thread, client_id: clientId, body });
  box.value = '';
});

// Ctrl+Enter (⌘+Enter on a Mac) sends; Enter alone is a new line.
box.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    form.requestSubmit();
  }
});

document.addEventListener('visibilitychange', markRead);
connect();
