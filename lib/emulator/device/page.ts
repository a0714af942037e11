import { SIMULATOR_CSS } from './page-style';
import { SIMULATOR_SCRIPT } from './page-script';

/**
 * The device simulator page served by the emulator at `GET /_emulator/`: a self-contained HTML page (inline CSS
 * and JS, no build) that plays the user's phone. It shows pending pushes (title, context, countdown to expiry)
 * with Approve (after a chosen check: fingerprint, PIN code, face, circle code or none, reported as the auth
 * methods), Deny (offering the request's denial reasons) and Report fraud; pending link codes with a
 * "Complete link" button; users with their devices, their current TOTP code and "Log out from phone". It talks
 * only to the emulator's JSON control API under `/_emulator/` and refreshes itself every second.
 *
 * @returns the complete HTML document (UTF-8).
 */
export function simulatorPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TruValidate device simulator</title>
<style>${SIMULATOR_CSS}</style>
</head>
<body>
<header>
  <h1>TruValidate device simulator</h1>
  <p>This page plays the user's phone for the local emulator.</p>
  <span id="status">Loading&hellip;</span>
</header>
<main>
  <div id="flash" class="flash" role="status" aria-live="polite"></div>
  <section aria-labelledby="pushes-title">
    <h2 id="pushes-title">Pending login requests</h2>
    <p id="pushes-empty" class="empty">No pending requests. Start a login in the app and it appears here.</p>
    <div id="pushes"></div>
  </section>
  <section aria-labelledby="links-title">
    <h2 id="links-title">Devices waiting to be linked</h2>
    <p id="links-empty" class="empty">No pending links. Sign up in the app (or link another device) first.</p>
    <div id="links"></div>
  </section>
  <section aria-labelledby="users-title">
    <h2 id="users-title">Users</h2>
    <p id="users-empty" class="empty">No users yet.</p>
    <div id="users"></div>
  </section>
</main>
<script>${SIMULATOR_SCRIPT}</script>
</body>
</html>
`;
}
