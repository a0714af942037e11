/** Terminal QR codes through the optional `qrcode` peer dependency, loaded only when one is drawn. */

/** The part of the `qrcode` package used here. */
interface QrCodeModule {
  toString(
    text: string,
    options: { type: 'terminal'; small?: boolean; errorCorrectionLevel?: string },
  ): Promise<string>;
}

/**
 * Draws `text` as a QR code with terminal characters (`qrcode`'s `terminal` renderer, half-height blocks,
 * error correction M). Resolves to null when the `qrcode` package is not installed.
 */
export async function renderQr(text: string): Promise<string | null> {
  let mod: QrCodeModule;
  try {
    const loaded = (await import('qrcode')) as unknown as QrCodeModule & { default?: QrCodeModule };
    mod = loaded.default ?? loaded;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') return null;
    throw err;
  }
  return mod.toString(text, { type: 'terminal', small: true, errorCorrectionLevel: 'M' });
}
