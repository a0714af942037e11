import { html, type SafeHtml } from './html';
import { layout, type PageContext } from './layout';

/** The signed-in user as the home page shows it. */
export interface HomeUser {
  username: string;
  /** How the user logged in: a push approved on the phone, or a TOTP code. */
  method: 'push' | 'totp';
  /** When the login completed (ms since epoch). */
  loggedInAt: number;
  /** The auth methods the phone reported (empty for TOTP logins). */
  authMethods: AuthMethodView[];
}

/** One auth method the phone reported, as plain data (the SDK's `AuthMethod` fields). */
export interface AuthMethodView {
  method: string;
  set?: boolean | null;
  active?: boolean | null;
  allowed?: boolean | null;
  supported?: boolean | null;
  userRequired?: boolean | null;
  passed?: boolean | null;
  error?: boolean | null;
}

const METHOD_NAMES: Record<string, string> = {
  PIN_CODE: 'PIN code',
  CIRCLE_CODE: 'Circle code',
  FINGERPRINT: 'Fingerprint',
  FACE: 'Face recognition',
  WEARABLES: 'Wearables',
  GEOFENCING: 'Geofencing',
  LOCATIONS: 'Locations',
};

/** A readable name of an auth method (`PIN_CODE` becomes "PIN code"). */
export function methodName(method: string): string {
  const key = method.toUpperCase();
  return METHOD_NAMES[key] ?? key.charAt(0) + key.slice(1).toLowerCase().replace(/_/g, ' ');
}

function methodsSection(methods: AuthMethodView[]): SafeHtml {
  const used = methods.filter((m) => m.passed === true || m.passed === false);
  const others = methods.filter((m) => !used.includes(m));
  const noCheck = 'Your phone approved without an extra check (no PIN code, fingerprint or face).';
  const otherNames = others.map((m) => methodName(m.method)).join(', ');
  return html`
<h2>How your phone checked it was you</h2>
${
  used.length === 0
    ? html`<p data-testid="auth-methods-none">${noCheck}</p>`
    : html`<table data-testid="auth-methods">
<thead><tr><th>Method</th><th>Result</th></tr></thead>
<tbody>${used.map(
        (m) =>
          html`<tr><td>${methodName(m.method)}</td><td>${
            m.passed ? html`<span class="badge ok">passed</span>` : html`<span class="badge no">failed</span>`
          }</td></tr>`,
      )}</tbody>
</table>`
}
${
  others.length > 0
    ? html`<p class="muted">Also reported by the phone, not used for this login: ${otherNames}.</p>`
    : null
}`;
}

/** Home page for a signed-in user: who, how, and which auth methods the phone used. */
export function homeSignedIn(ctx: PageContext, user: HomeUser): SafeHtml {
  const how =
    user.method === 'totp' ? 'with a TOTP code from your authenticator app' : 'by approving a push on your phone';
  return layout(
    'Home',
    ctx,
    html`
<h1>Welcome, <span data-testid="home-username">${user.username}</span></h1>
<p>You logged in ${how}
at ${new Date(user.loggedInAt).toISOString().replace('T', ' ').slice(0, 19)} UTC.</p>
${user.method === 'push' ? methodsSection(user.authMethods) : null}
<h2>What next</h2>
<p><a href="/devices">Manage your devices</a> · <a href="/totp">Set up TOTP</a></p>
<form method="post" action="/logout"><button type="submit" class="secondary">Log out</button></form>
`,
  );
}

/** Home page for a visitor: what the example does and where to start. */
export function homeSignedOut(ctx: PageContext): SafeHtml {
  return layout(
    'Home',
    ctx,
    html`
<h1>TruValidate push login, end to end</h1>
<p>This example app logs people in with TruValidate multifactor authentication: you type your username, your phone
gets a push, you approve it, and you are in. No passwords.</p>
${
  ctx.simulatorUrl
    ? html`<p class="notice">No phone needed: the app runs against a local emulator, and the
<a href="${ctx.simulatorUrl}" target="_blank" rel="noopener">device simulator</a> plays your phone. Keep it open
in a second window.</p>`
    : null
}
<ol>
<li><a href="/signup">Sign up</a> with a username and link your phone (in the simulator: "Complete link").</li>
<li><a href="/login">Log in</a> and approve the push on your phone.</li>
</ol>
<p><a class="button" href="/signup">Sign up</a> <a class="button secondary" href="/login">Log in</a></p>
`,
  );
}
