// A clinician's start page, live: when a patient on their care team answers in a way that
// needs a look today, the server wakes this page over the signed-in WebSocket (from any
// instance). The page reads its own start page again and swaps in the new list, so the
// names come from a signed-in, audited read, never from the socket, and says so to screen
// readers. Without JavaScript the list is there on every load.

const slot = document.getElementById('signals-slot');
const announce = document.getElementById('signals-announce');
let retry = 500;
let connectedBefore = false;

async function refresh() {
  const response = await fetch('/home', { credentials: 'same-origin', headers: { Accept: 'text/html' } });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById('signals-slot');
  if (!fresh) return;
  const before = slot.querySelectorAll('li').length;
  slot.innerHTML = fresh.innerHTML;
  if (slot.querySelectorAll('li').length > before) announce.textContent = announce.dataset.new;
}

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/ws`);
  socket.addEventListener('open', () => {
    retry = 500;
    socket.send(JSON.stringify({ type: 'signals-follow' }));
  });
  socket.addEventListener('message', (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type === 'signals-changed') refresh();
    if (frame.type === 'signals-following') {
      // A wake-up may have come while the socket was down: read once to catch up.
      if (connectedBefore) refresh();
      connectedBefore = true;
    }
  });
  socket.addEventListener('close', (event) => {
    if (event.code === 4401) return;
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 10000);
  });
}

if (slot) connect();
