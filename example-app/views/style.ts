/** The shared stylesheet of the example app, served at `/app.css`. */
export const APP_CSS = `
:root { --fg: #1d2330; --muted: #5b6475; --line: #d9dee7; --bg: #f5f7fa; --card: #fff; --accent: #1f6feb;
  --ok: #1a7f37; --bad: #cf222e; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); }
header { background: #101828; color: #fff; padding: 12px 24px; display: flex; flex-wrap: wrap; align-items: center;
  gap: 8px 18px; }
header a { color: #fff; text-decoration: none; }
header .brand { font-weight: 700; }
header nav { display: flex; flex-wrap: wrap; gap: 6px 14px; margin-left: auto; align-items: center; min-width: 0; }
header nav strong { overflow-wrap: anywhere; }
header nav form { margin: 0; }
header nav button { background: none; border: 1px solid #667085; color: #fff; border-radius: 6px; padding: 3px 10px;
  font: inherit; cursor: pointer; }
main { max-width: 720px; margin: 28px auto; padding: 0 24px; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 22px 26px; }
h1 { font-size: 24px; margin: 0 0 12px; overflow-wrap: anywhere; }
p, li, td { overflow-wrap: anywhere; }
.scroll { overflow-x: auto; }
h2 { font-size: 18px; margin: 22px 0 8px; }
p { margin: 8px 0; }
.muted { color: var(--muted); }
label { display: block; font-weight: 600; margin: 12px 0 4px; }
input[type=text] { font: inherit; width: 100%; max-width: 360px; padding: 7px 10px; border: 1px solid var(--line);
  border-radius: 6px; }
button, .button { font: inherit; display: inline-block; border: 1px solid var(--accent); background: var(--accent);
  color: #fff; border-radius: 6px; padding: 7px 16px; cursor: pointer; text-decoration: none; margin-top: 12px; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
button.danger { background: #fff; color: var(--bad); border-color: var(--bad); }
.inline { display: inline; }
.notice { border-left: 4px solid var(--accent); background: #eef4ff; padding: 10px 14px; border-radius: 6px;
  margin: 0 0 16px; }
.error { border-left: 4px solid var(--bad); background: #fff0f0; padding: 10px 14px; border-radius: 6px;
  margin: 12px 0; }
.success { border-left: 4px solid var(--ok); background: #eefbf1; padding: 10px 14px; border-radius: 6px;
  margin: 12px 0; }
.qr { display: block; width: 220px; height: 220px; image-rendering: pixelated; border: 1px solid var(--line);
  border-radius: 6px; margin: 10px 0; }
.code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 22px; letter-spacing: 3px;
  font-weight: 700; }
.countdown { font-size: 28px; font-weight: 700; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; padding: 7px 8px; border-bottom: 1px solid var(--line); vertical-align: middle; }
td form { margin: 0; }
td button { margin: 0; padding: 3px 10px; }
.badge { display: inline-block; font-size: 13px; padding: 1px 9px; border-radius: 10px; background: #eef1f6; }
.badge.ok { background: #dafbe1; color: var(--ok); }
.badge.no { background: #fff0f0; color: var(--bad); }
footer { max-width: 720px; margin: 0 auto 30px; padding: 0 24px; color: var(--muted); font-size: 14px; }
.wrap { overflow-wrap: anywhere; }
@media (max-width: 480px) {
  header { padding: 10px 14px; }
  header nav { margin-left: 0; }
  main { margin: 14px auto; padding: 0 10px; }
  .panel { padding: 16px 14px; }
  footer { padding: 0 10px; }
  .code { font-size: 18px; letter-spacing: 2px; }
  th, td { padding: 6px 4px; }
}
`;
