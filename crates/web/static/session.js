// Idle sign-out with a warning. Signed-in pages carry data-idle-seconds on <body>; a
// little before that time passes without activity, a dialog offers "Stay signed in".
// Staying asks the server to extend the session; otherwise the page signs out by itself,
// so a shared or unattended screen doesn't keep showing someone's private information.
//
// Activity is what a person does on the page (keys, typing, pointer, scrolling) and what a
// page reports for them with a `haven:active` event: the visit room sends one every minute
// while the person waits or is in a call, so a call is never cut by this timer. Activity
// restarts the local timer at once and, at most every two minutes, tells the server too,
// whose own idle limit would otherwise end the session under a long call or a long form.

const idle = Number(document.body.dataset.idleSeconds || 0);
const dialog = document.getElementById('idle-dialog');
const stay = document.getElementById('idle-stay');
const signOut = document.getElementById('idle-sign-out');
const TELL_SERVER_EVERY = 120_000;

if (idle > 0 && dialog && stay && signOut) {
  // Warn two minutes ahead (or at half-time for very short limits); sign out a few
  // seconds before the server would, so the person never meets an expired page.
  const lead = Math.min(120, Math.floor(idle / 2));
  let warnTimer;
  let endTimer;
  let toldServer = Date.now();

  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(warn, (idle - lead) * 1000);
    endTimer = setTimeout(end, Math.max(idle - 5, 1) * 1000);
  };

  const warn = () => {
    if (!dialog.open) dialog.showModal();
    stay.focus();
  };

  const end = () => {
    signOut.requestSubmit();
  };

  const keepAlive = async () => {
    toldServer = Date.now();
    const response = await fetch('/session/keep-alive', { method: 'POST', credentials: 'same-origin' });
    if (!response.ok) throw new Error(String(response.status));
  };

  stay.addEventListener('click', async () => {
    try {
      await keepAlive();
      dialog.close();
      schedule();
    } catch {
      end();
    }
  });

  // Escape closes a modal dialog; treat it as "stay", the gentler reading.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    stay.click();
  });

  const active = () => {
    // With the warning open, only its buttons answer it: a stray key isn't "stay".
    if (dialog.open) return;
    schedule();
    if (Date.now() - toldServer < TELL_SERVER_EVERY) return;
    // A session the server has already ended (signed out elsewhere) ends here too.
    keepAlive().catch((e) => e.message === '401' && end());
  };
  for (const type of ['keydown', 'input', 'pointerdown', 'wheel', 'touchstart']) {
    document.addEventListener(type, active, { capture: true, passive: true });
  }
  // A page's report (a call) answers an open warning as "stay" would.
  document.addEventListener('haven:active', () => (dialog.open ? stay.click() : active()));

  schedule();
}
