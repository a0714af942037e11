/** The CSS of the device simulator page (inline in the page; no build step). */
export const SIMULATOR_CSS = `
:root { color-scheme: light; --fg: #1d2330; --muted: #5b6475; --line: #d9dee7; --bg: #f5f7fa; --card: #fff;
  --accent: #1f6feb; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); }
header { background: #101828; color: #fff; padding: 14px 24px; display: flex; align-items: baseline; gap: 16px; }
header h1 { margin: 0; font-size: 19px; }
header p { margin: 0; color: #c7cfdd; font-size: 13px; }
main { max-width: 980px; margin: 0 auto; padding: 20px 24px 40px; display: grid; gap: 18px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; }
section h2 { margin: 0 0 10px; font-size: 16px; }
.empty { color: var(--muted); margin: 4px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin: 10px 0; }
.card h3 { margin: 0 0 4px; font-size: 15px; }
.meta { color: var(--muted); font-size: 13px; }
.row { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin-top: 8px; }
button { font: inherit; border: 1px solid var(--line); background: #fff; border-radius: 6px; padding: 5px 12px;
  cursor: pointer; }
button:hover { border-color: var(--accent); }
button.approve { background: var(--ok); border-color: var(--ok); color: #fff; }
button.deny { background: #fff; border-color: var(--bad); color: var(--bad); }
button.fraud { background: var(--bad); border-color: var(--bad); color: #fff; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
select { font: inherit; padding: 4px 6px; border-radius: 6px; border: 1px solid var(--line); }
code, .code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.totp { font-size: 20px; letter-spacing: 2px; font-weight: 600; }
.badge { display: inline-block; font-size: 12px; padding: 1px 8px; border-radius: 10px; background: #eef1f6;
  color: var(--muted); margin-left: 6px; }
.badge.linked { background: #dafbe1; color: var(--ok); }
.badge.pending { background: #fff8c5; color: var(--warn); }
.context { white-space: pre-wrap; background: var(--bg); border-radius: 6px; padding: 6px 8px; margin: 6px 0; }
#status { font-size: 13px; color: #c7cfdd; margin-left: auto; }
#status.error { color: #ffb4b4; }
.flash { min-height: 0; font-size: 14px; color: var(--ok); }
.flash:empty { display: none; }
.flash.error { color: var(--bad); }
ul.devices { margin: 6px 0 0; padding-left: 18px; }
`;
