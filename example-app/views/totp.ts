import { html, type SafeHtml } from './html';
import { layout, type PageContext } from './layout';

/** A freshly generated TOTP secret as the setup page shows it. */
export interface TotpSetupView {
  /** The `otpauth://` URI an authenticator app imports. */
  uri: string;
  /** The URI as a QR code PNG data URL. */
  qrDataUrl: string;
  secret: string;
  algorithm: string;
  digits: number;
  period: number;
}

/** The TOTP page: set up (or replace) a TOTP secret, or remove it; shows the new secret's QR code. */
export function totpPage(ctx: PageContext, setup: TotpSetupView | null, opts: { message?: string | null } = {}): SafeHtml {
  return layout('TOTP', ctx, html`
<h1>Authenticator app (TOTP)</h1>
<p>Codes from an authenticator app let you log in when push is not available.</p>
${opts.message ? html`<p class="success" role="status">${opts.message}</p>` : null}
${setup ? html`
<p>Scan this QR code with your authenticator app, then log out and try
<a href="/login/totp">logging in with a code</a>.</p>
<img class="qr" src="${setup.qrDataUrl}" alt="QR code of your TOTP secret" data-testid="totp-qr">
<p>Or type the secret: <span class="code" data-testid="totp-secret">${setup.secret}</span></p>
<p class="muted">${setup.algorithm}, ${setup.digits} digits, every ${setup.period} seconds.</p>` : null}
<form method="post" action="/totp/setup" class="inline"><button type="submit">${setup ? 'Generate a new secret' : 'Set up TOTP'}</button></form>
<form method="post" action="/totp/remove" class="inline"><button type="submit" class="danger">Remove TOTP</button></form>
`);
}
