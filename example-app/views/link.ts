import { html, jsonForScript, type SafeHtml } from './html';
import { layout, type PageContext } from './layout';
import { usernameForm } from './username-form';

/** The sign-up form (username). */
export function signupPage(ctx: PageContext, opts: { username?: string; error?: string | null } = {}): SafeHtml {
  return layout(
    'Sign up',
    ctx,
    html`
<h1>Sign up</h1>
<p>Choose a username. Then link your phone by scanning a QR code (or typing a code) in the TruValidate app.</p>
${usernameForm({ action: '/signup', submitLabel: 'Create account', errorTestId: 'signup-error', ...opts })}
<p class="muted">Usernames are not case-sensitive: <code>Alice</code> and <code>alice</code> are one account. A name
you sign up with stays yours once your phone is linked, until you delete the account.</p>
<p class="muted">Already have an account? <a href="/login">Log in</a>.</p>
`,
  );
}

/** What a link page shows: the QR image and code of one pending device link. */
export interface LinkView {
  username: string;
  /** The linking code to type in the app. */
  code: string;
  /** The QR code as a PNG data URL. */
  qrDataUrl: string;
  /** The JSON endpoint telling whether this link completed (`{ status: 'pending' | 'linked' }`). */
  statusUrl: string;
  /** Where to go once the link completed. */
  next: string;
  /** Heading of the page. */
  title: string;
}

/** The link page's script, served at `/js/link.js`: notices when the link completes and moves on. */
export const LINK_SCRIPT = String.raw`
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('link-config').textContent);
  var statusEl = document.getElementById('link-status');
  function poll() {
    fetch(cfg.statusUrl, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) { return res.json(); })
      .then(function (data) {
        if (data && data.status === 'linked') {
          statusEl.textContent = 'Your phone is linked. Continuing…';
          statusEl.className = 'success';
          setTimeout(function () { location.assign(cfg.next); }, 600);
          return;
        }
        if (data && data.status === 'pending') { setTimeout(poll, 1000); return; }
        statusEl.textContent = (data && data.error) || 'The link is no longer pending.';
        statusEl.className = 'error';
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
`;

/** The page with the QR code and linking code of a pending device link; it notices when the link completes. */
export function linkPage(ctx: PageContext, view: LinkView): SafeHtml {
  const config = { statusUrl: view.statusUrl, next: view.next };
  return layout(
    view.title,
    ctx,
    html`
<h1>${view.title}</h1>
<p>Link a phone to <strong>${view.username}</strong>: scan this QR code in the TruValidate app, or type the code.</p>
<img class="qr" src="${view.qrDataUrl}" alt="QR code to link your phone" data-testid="link-qr">
<p>Code: <span class="code" data-testid="link-code">${view.code}</span></p>
${
  ctx.simulatorUrl
    ? html`<p class="muted">With the emulator: open the
<a href="${ctx.simulatorUrl}" target="_blank" rel="noopener">device simulator</a> and press "Complete link".</p>`
    : null
}
<p id="link-status" role="status" aria-live="polite" data-testid="link-status">Waiting for your phone…</p>
<script type="application/json" id="link-config">${jsonForScript(config)}</script>
<script src="/js/link.js"></script>
`,
  );
}
