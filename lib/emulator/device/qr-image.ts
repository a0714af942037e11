/**
 * PNG images of link codes for the simulator's QR code URLs. `qrcode` is an optional peer dependency: it is loaded
 * only when an image is asked for, so the rest of the emulator (and every consumer of the package) works without it.
 */

/** The message when `qrcode` is not installed. */
export const QRCODE_MISSING_MESSAGE =
  'QR code images need the optional package "qrcode", which is not installed: run npm install qrcode';

/** Thrown when a QR code image is asked for and the optional package `qrcode` is not installed. */
export class QrcodeMissingError extends Error {
  readonly code = 'ERR_TRUVALIDATE_EMULATOR_QRCODE_MISSING';
  constructor(options?: { cause?: unknown }) {
    super(QRCODE_MISSING_MESSAGE, options);
    this.name = 'QrcodeMissingError';
  }
}

interface QrcodeModule {
  toBuffer(text: string, options: { type: 'png'; margin: number; width: number }): Promise<Buffer>;
}

let loaded: QrcodeModule | null = null;

function isMissingQrcode(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException;
  return (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') && /qrcode/.test(e.message);
}

async function qrcodeModule(): Promise<QrcodeModule> {
  if (loaded) return loaded;
  try {
    const mod = (await import('qrcode')) as unknown as QrcodeModule & { default?: QrcodeModule };
    loaded = mod.default ?? mod;
    return loaded;
  } catch (err) {
    if (isMissingQrcode(err)) throw new QrcodeMissingError({ cause: err });
    throw err;
  }
}

/**
 * A 256-pixel PNG of `text` as a QR code (margin 2).
 * @throws QrcodeMissingError when the optional package `qrcode` is not installed.
 */
export async function qrPng(text: string): Promise<Buffer> {
  return (await qrcodeModule()).toBuffer(text, { type: 'png', margin: 2, width: 256 });
}
