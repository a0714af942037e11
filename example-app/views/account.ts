import { html, type SafeHtml } from './html';
import { layout, type PageContext } from './layout';

/** The account page: the name, and "Delete account" confirmed by typing the username. */
export function accountPage(ctx: PageContext, opts: { error?: string | null } = {}): SafeHtml {
  return layout(
    'Account',
    ctx,
    html`
<h1>Your account</h1>
<p>Your username <strong>${ctx.username ?? ''}</strong> stays yours while the account exists, even with no device
linked.</p>
<h2>Delete account</h2>
<p>Deleting the account unlinks all your devices, removes TOTP, logs you out everywhere and frees the name for
anyone to sign up with. It cannot be undone.</p>
${opts.error ? html`<p class="error" role="alert" data-testid="account-error">${opts.error}</p>` : null}
<form method="post" action="/account/delete">
<label for="confirm">Type your username to confirm</label>
<input type="text" id="confirm" name="confirm" autocomplete="off" autocapitalize="none" spellcheck="false" required>
<div><button type="submit" class="danger">Delete account</button></div>
</form>
`,
  );
}
