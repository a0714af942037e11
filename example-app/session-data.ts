/** What the example keeps in the browser session besides Passport's own data. */
export interface PendingLinkData {
  /** The user the device is being linked to. */
  username: string;
  /** The device id the link request created. */
  deviceId: string;
  /** Sign-up (first device) or "link another device" from the devices page. */
  purpose: 'signup' | 'device';
}

declare module 'express-session' {
  interface SessionData {
    /** The device link this browser is waiting for (sign up or link another device). */
    exampleLink?: PendingLinkData;
    /** A one-line notice for the next page. */
    notice?: string;
  }
}
