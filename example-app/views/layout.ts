import { html, SafeHtml, type HtmlValue } from './html';

/** What every page's frame needs to know. */
export interface PageContext {
  /** The signed-in username, or null. */
  username: string | null;
  /** URL of the emulator's device simulator page, when the app runs against the emulator. */
  simulatorUrl?: string | null;
  /** A one-line notice shown above the content (e.g. "You were logged out from your phone."). */
  notice?: string | null;
}

/** Wraps page content in the shared frame: header with navigation, the shared CSS, a footer. */
export function layout(title: string, ctx: PageContext, content: HtmlValue): SafeHtml {
  const nav = ctx.username
    ? html`<span>Signed in as <strong data-testid="nav-username">${ctx.username}</strong></span>
        <a href="/devices">Devices</a><a href="/totp">TOTP</a><a href="/account">Account</a>
        <form method="post" action="/logout"><button type="submit">Log out</button></form>`
    : html`<a href="/login">Log in</a><a href="/signup">Sign up</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · TruValidate example</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/app.css">
</head>
<body>
<header><a class="brand" href="/">TruValidate example</a><nav>${nav}</nav></header>
<main>
${ctx.notice ? html`<p class="notice" role="status" data-testid="notice">${ctx.notice}</p>` : null}
<div class="panel">
${content}
</div>
</main>
<footer>${
    ctx.simulatorUrl
      ? html`Running against the local emulator. Your "phone" is the
      <a href="${ctx.simulatorUrl}" target="_blank" rel="noopener">device simulator</a>.`
      : html`Running against TruValidate.`
  }</footer>
</body>
</html>
`;
}
