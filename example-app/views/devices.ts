import { html, type SafeHtml } from './html';
import { layout, type PageContext } from './layout';

/** One device as the devices page lists it. */
export interface DeviceView {
  id: string;
  name: string;
  type: string;
  /** 'linked', 'link pending' or 'unlink pending'. */
  status: string;
}

/** The devices page: the user's devices, unlink buttons, a button to link another one, and an error line. */
export function devicesPage(ctx: PageContext, devices: DeviceView[], error: string | null = null): SafeHtml {
  return layout(
    'Devices',
    ctx,
    html`
<h1>Your devices</h1>
${error ? html`<p class="error" role="alert" data-testid="devices-error">${error}</p>` : null}
${
  devices.length === 0
    ? html`<p class="muted">No devices linked.</p>`
    : html`
<div class="scroll"><table data-testid="devices">
<thead><tr><th>Name</th><th>Type</th><th>Status</th><th></th></tr></thead>
<tbody>${devices.map(
        (d) => html`<tr data-device-id="${d.id}">
<td>${d.name}</td><td>${d.type}</td><td>${d.status}</td>
<td><form method="post" action="/devices/${encodeURIComponent(d.id)}/unlink">
<button type="submit" class="danger">Unlink</button></form></td></tr>`,
      )}</tbody>
</table></div>`
}
<form method="post" action="/devices/link"><button type="submit">Link another device</button></form>
<p class="muted">To give up your last device, <a href="/account">delete your account</a>.</p>
`,
  );
}
