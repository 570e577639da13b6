// Idle sign-out with a warning. Signed-in pages carry data-idle-seconds on <body>; a
// little before that time passes without activity, a dialog offers "Stay signed in".
// Staying asks the server to extend the session; otherwise the page signs out by itself,
// so a shared or unattended screen doesn't keep showing someone's private information.

const idle = Number(document.body.dataset.idleSeconds || 0);
const dialog = document.getElementById('idle-dialog');
const stay = document.getElementById('idle-stay');
const signOut = document.getElementById('idle-sign-out');

if (idle > 0 && dialog && stay && signOut) {
  // Warn two minutes ahead (or at half-time for very short limits); sign out a few
  // seconds before the server would, so the person never meets an expired page.
  const lead = Math.min(120, Math.floor(idle / 2));
  let warnTimer;
  let endTimer;

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

  stay.addEventListener('click', async () => {
    try {
      const response = await fetch('/session/keep-alive', { method: 'POST', credentials: 'same-origin' });
      if (!response.ok) throw new Error(String(response.status));
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

  schedule();
}
