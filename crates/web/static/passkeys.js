// Passkeys in the browser: adding one (security page) and signing in with one (sign-in
// page). Pages carry translated messages in data attributes; the server's JSON errors are
// already translated. Without WebAuthn support the passkey controls stay hidden.

const supported = typeof window.PublicKeyCredential === 'function'
  && typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function';

const say = (region, text) => {
  if (!region) return;
  region.textContent = text;
  region.hidden = false;
};

// Errors the server explains come with translated words; anything else (the browser's own
// English error text, a cancelled dialog) gets the page's translated fallback.
class Explained extends Error {}

async function postJson(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Explained(data.error || '');
  return data;
}

const add = document.getElementById('passkey-add');
if (add && supported) {
  add.hidden = false;
  const status = document.getElementById('passkey-add-status');
  add.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const started = await fetch(add.action, { method: 'POST', credentials: 'same-origin', body: new URLSearchParams(new FormData(add)) });
      const options = await started.json();
      if (!started.ok) throw new Explained(options.error || '');
      const credential = await navigator.credentials.create({
        publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.publicKey),
      });
      await postJson('/account/passkeys/finish', credential.toJSON());
      window.location.assign('/account/security?changed=passkey');
    } catch (error) {
      say(status, (error instanceof Explained && error.message) || add.dataset.failed);
    }
  });
}

const signIn = document.getElementById('passkey-sign-in');
if (signIn && supported) {
  signIn.hidden = false;
  const status = document.getElementById('passkey-status');
  signIn.addEventListener('click', async () => {
    try {
      const started = await fetch('/sign-in/passkey/start', { method: 'POST', credentials: 'same-origin' });
      const options = await started.json();
      if (!started.ok) throw new Explained(options.error || '');
      const credential = await navigator.credentials.get({
        publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.publicKey),
      });
      const done = await postJson('/sign-in/passkey/finish', credential.toJSON());
      window.location.assign(done.redirect || '/home');
    } catch (error) {
      say(status, (error instanceof Explained && error.message) || signIn.dataset.failed);
    }
  });
}
