/** The device simulator page served at `/_emulator/` (the page itself lives in `../device/page.ts`). */
import { simulatorPage } from '../device/page';

/** The HTML of the device simulator page. */
export function simulatorPageHtml(): string {
  return simulatorPage();
}
