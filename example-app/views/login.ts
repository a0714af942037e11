import { html, jsonForScript, type SafeHtml } from './html';
import { layout, type PageContext } from './layout';
import { usernameForm } from './username-form';

/** The login form (username). */
export function loginPage(ctx: PageContext, opts: { username?: string; error?: string | null } = {}): SafeHtml {
  return layout(
    'Log in',
    ctx,
    html`
<h1>Log in</h1>
<p>Type your username. Your phone gets a push: approve it there.</p>
${usernameForm({ action: '/login', submitLabel: 'Send push', errorTestId: 'login-error', ...opts })}
<p class="muted">No push? <a href="/login/totp">Log in with a code from your authenticator app</a>.
New here? <a href="/signup">Sign up</a>.</p>
`,
  );
}

const OTP_FIELD = html`<label for="otp">Code</label>
<input type="text" id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6,8}" required>
`;

/** The TOTP login form (username + code). */
export function totpLoginPage(ctx: PageContext, opts: { username?: string; error?: string | null } = {}): SafeHtml {
  return layout(
    'Log in with a code',
    ctx,
    html`
<h1>Log in with a code</h1>
<p>Type your username and the 6-digit code your authenticator app shows.</p>
${usernameForm({
  action: '/login/totp',
  submitLabel: 'Log in',
  errorTestId: 'login-error',
  ...opts,
  autofocus: false,
  extraFields: OTP_FIELD,
})}
<p class="muted"><a href="/login">Use a push instead</a>.</p>
`,
  );
}

/**
 * What the waiting page needs: who, until when, and the texts of the denial reasons. Once authorized it goes to `/`.
 */
export interface WaitingView {
  username: string;
  /** When the authorization request expires (ms since epoch): what the countdown counts down to. */
  expiresAt: number;
  /**
   * The text of each denial reason the request offers, by id: the status answers the id the user picked
   * (`denialReason`) and the page shows its text. Default: none (no reason shown).
   */
  denialReasons?: Readonly<Record<string, string>>;
}

/** The waiting page's script, served at `/js/waiting.js`: status loop, countdown, cancel. */
export const WAITING_SCRIPT = String.raw`
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('waiting-config').textContent);
  var statusEl = document.getElementById('status');
  var countdownEl = document.getElementById('countdown');
  var cancelForm = document.getElementById('cancel-form');
  var retry = document.getElementById('retry');
  var done = false;
  var MESSAGES = {
    denied: 'The request was denied on your phone.',
    expired: 'The request expired before it was answered.',
    canceled: 'The request was canceled.',
    failed: 'The login failed.'
  };

  function finish(text, cls, keepCountdown) {
    done = true;
    if (!keepCountdown) document.getElementById('countdown-row').hidden = true;
    statusEl.textContent = text;
    statusEl.className = cls;
    cancelForm.hidden = true;
    retry.hidden = false;
    var h = document.getElementById('phone-hint');
    if (h) h.hidden = true;
    clearInterval(timer);
  }

  function showLeft(left) {
    countdownEl.textContent = Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0');
    if (left === 0) countdownEl.setAttribute('data-expired', 'true');
  }

  function tick() {
    if (done) return;
    showLeft(Math.max(0, Math.ceil((cfg.expiresAt - Date.now()) / 1000)));
  }

  function handle(data) {
    if (!data || !data.status || data.status === 'pending') return false;
    if (data.status === 'none') {
      // Nothing waits in this session any more: another tab may have completed (or started) a login. The server
      // knows: /login/wait goes home when logged in, else to the login page with a notice.
      done = true;
      location.assign('/login/wait');
      return true;
    }
    if (data.status === 'authorized') {
      done = true;
      statusEl.textContent = 'Approved. Signing you in…';
      statusEl.className = 'success';
      location.assign(typeof data.returnTo === 'string' && /^\/(?![\/\\])/.test(data.returnTo) ? data.returnTo : '/');
      return true;
    }
    var expired = data.status === 'expired';
    if (expired) showLeft(0);
    var text = MESSAGES[data.status] || data.message || 'The login failed.';
    if (data.status === 'denied' && data.reason === 'FRAUDULENT') {
      text = 'You reported this login as fraud on your phone.';
    }
    var reasons = cfg.denialReasons || {};
    if (data.denialReason && Object.prototype.hasOwnProperty.call(reasons, data.denialReason)) {
      text += ' Reason: ' + reasons[data.denialReason];
    }
    finish(text, 'error', expired);
    return true;
  }

  function poll() {
    if (done) return;
    fetch(cfg.statusUrl, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) {
        return res.json().catch(function () { return { status: res.ok ? 'pending' : 'failed' }; });
      })
      .then(function (data) { if (!handle(data)) setTimeout(poll, 250); })
      .catch(function () { if (!done) setTimeout(poll, 1000); });
  }

  cancelForm.addEventListener('submit', function (event) {
    event.preventDefault();
    fetch(cancelForm.action, { method: 'POST', headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function () { finish(MESSAGES.canceled, 'error'); })
      .catch(function () { finish('Could not cancel the request.', 'error'); });
  });

  // Emulator mode only: after a few seconds without an answer, say where the push shows and why it may not.
  var hint = document.getElementById('phone-hint');
  if (hint) setTimeout(function () { if (!done) hint.hidden = false; }, cfg.hintAfterMs || 4000);

  var timer = setInterval(tick, 250);
  tick();
  poll();
})();
`;

/**
 * The waiting page: live status from `GET /login/status` (the strategy's status endpoint), a countdown to the
 * request's expiry, and a cancel button; the denial reason is shown when the phone denies. With the emulator
 * (`ctx.simulatorUrl`), a "nothing on the phone?" hint with the simulator's URL appears after 4 seconds; never
 * against the real API.
 */
export function waitingPage(ctx: PageContext, view: WaitingView): SafeHtml {
  const config = {
    statusUrl: '/login/status',
    expiresAt: view.expiresAt,
    denialReasons: view.denialReasons ?? {},
    hintAfterMs: 4000,
  };
  return layout(
    'Approve on your phone',
    ctx,
    html`
<h1>Check your phone</h1>
<p>A login request was sent to the phone of <strong data-testid="waiting-username">${view.username}</strong>.
Approve it there; this page continues by itself.</p>
<p id="countdown-row">Time left:
<span class="countdown" id="countdown" data-testid="countdown">…</span></p>
<p id="status" role="status" aria-live="polite" data-testid="login-status">Waiting for your approval…</p>
<form id="cancel-form" method="post" action="/login/cancel"><button type="submit" class="danger">Cancel</button></form>
<p id="retry" hidden><a class="button" href="/login">Try again</a></p>
${
  ctx.simulatorUrl
    ? html`<p id="phone-hint" class="notice" data-testid="phone-hint" hidden>Nothing on the phone? With the
emulator, the push shows in the <a href="${ctx.simulatorUrl}" target="_blank" rel="noopener">device simulator</a>
(${ctx.simulatorUrl}). If the username is mistyped, was never signed up or has no linked device, no push goes
out (the page waits all the same, so that names cannot be probed): the app's console says why.</p>`
    : null
}
<script type="application/json" id="waiting-config">${jsonForScript(config)}</script>
<script src="/js/waiting.js"></script>
`,
  );
}
