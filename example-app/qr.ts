import QRCode from 'qrcode';

/** Renders text as a QR code PNG data URL (the `qrcode` package; error correction M, 4-module margin). */
export function qrDataUrl(text: string): Promise<string> {
  return QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 4, width: 220 });
}

/** The fields of a TOTP secret an authenticator app needs. */
export interface TotpParameters {
  secret: string;
  algorithm: string;
  digits: number;
  period: number;
}

/**
 * The `otpauth://totp/` URI (Key Uri Format) of a TOTP secret, labelled `issuer:username`.
 * @param issuer shown by the authenticator app (e.g. "TruValidate example")
 */
export function otpauthUri(issuer: string, username: string, totp: TotpParameters): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(username)}`;
  const params = new URLSearchParams({
    secret: totp.secret,
    issuer,
    algorithm: totp.algorithm,
    digits: String(totp.digits),
    period: String(totp.period),
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}
