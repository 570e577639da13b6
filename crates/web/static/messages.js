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
  meta.append(who, ` · ${new Date(m.at).toLocaleString(document.documentElement.lang)}`);
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
      // Refused (too long, too many…): nothing was stored; give the text back.
      // Refused or failed: the text goes back in the box, nothing was stored.
      if (!box.value.trim()) box.value = pending.get(frame.client_id);
      pending.delete(frame.client_id);
      status.textContent = strings.failed;
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
  const file = document.getElementById('file');
  // Files, and the first message before the socket is up, go through the plain form.
  if (file.files.length > 0 || !socket || socket.readyState !== WebSocket.OPEN) return;
  event.preventDefault();
  const body = box.value;
  if (!body.trim()) {
    status.textContent = strings.failed;
    return;
  }
  const clientId = crypto.randomUUID();
  pending.set(clientId, body);
  status.textContent = strings.sending;
  send({ type: 'send', thread, client_id: clientId, body });
  box.value = '';
});

document.addEventListener('visibilitychange', markRead);
connect();
