/**
 * RC2-CBC decryption (RFC 2268) for old PKCS#12 exports (pbeWithSHAAnd40BitRC2-CBC and 128-bit RC2), which Node's
 * default OpenSSL provider no longer offers. Decryption only; the effective key length equals the key length.
 */

// prettier-ignore
const PITABLE = Buffer.from(
  'd978f9c419ddb5ed28e9fd794aa0d89dc67e37832b76538e624c6488448bfba2179a59f587b34f1361456d8d09817d32' +
  'bd8f40eb86b77b0bf09521225c6b4e8254d66593ce60b21c7356c014a78cf1dc1275ca1f3bbee4d1423dd430a33cb626' +
  '6fbf0eda4669075727f21d9bbc944303f811c7f690ef3ee706c3d52fc8661ed708e8eade8052eef784aa72ac354d6a2a' +
  '961ad2715a1549744b9fd05e0418a4ecc2e0416e0f51cbcc2491af50a1f47039997c3a8523b8b47afc02365b25559731' +
  '2d5dfa98e38a92ae05df2910676cbac9d300e6cfe19ea82c6316013f58e289a90d38341bab33ffb0bb480c5fb9b1cd2e' +
  'c5f3db47e5a59c770aa62068fe7fc1ad',
  'hex',
);

/** The 64 expanded 16-bit key words for `key` with `effectiveBits` effective key bits. */
export function rc2ExpandKey(key: Buffer, effectiveBits = key.length * 8): Uint16Array {
  const t = key.length;
  if (t < 1 || t > 128) throw new Error('RC2 keys are 1 to 128 bytes');
  const l = Buffer.alloc(128);
  key.copy(l);
  for (let i = t; i < 128; i++) l[i] = PITABLE[((l[i - 1] as number) + (l[i - t] as number)) & 0xff] as number;
  const t8 = Math.ceil(effectiveBits / 8);
  const tm = 0xff % 2 ** (8 + effectiveBits - 8 * t8);
  l[128 - t8] = PITABLE[(l[128 - t8] as number) & tm] as number;
  for (let i = 127 - t8; i >= 0; i--) l[i] = PITABLE[(l[i + 1] as number) ^ (l[i + t8] as number)] as number;
  const k = new Uint16Array(64);
  for (let i = 0; i < 64; i++) k[i] = (l[2 * i] as number) | ((l[2 * i + 1] as number) << 8);
  return k;
}

const SHIFTS = [1, 2, 3, 5];

/** Decrypts one 8-byte block in place. */
export function rc2DecryptBlock(k: Uint16Array, block: Buffer, offset = 0): void {
  const r = [0, 1, 2, 3].map((i) => block.readUInt16LE(offset + 2 * i));
  let j = 63;
  const mix = (): void => {
    for (let i = 3; i >= 0; i--) {
      const s = SHIFTS[i] as number;
      const v = r[i] as number;
      r[i] = ((v >>> s) | (v << (16 - s))) & 0xffff;
      const a = r[(i + 3) % 4] as number;
      const b = r[(i + 2) % 4] as number;
      const c = r[(i + 1) % 4] as number;
      r[i] = ((r[i] as number) - (k[j] as number) - (a & b) - (~a & c)) & 0xffff;
      j--;
    }
  };
  const mash = (): void => {
    for (let i = 3; i >= 0; i--) r[i] = ((r[i] as number) - (k[(r[(i + 3) % 4] as number) & 63] as number)) & 0xffff;
  };
  for (let round = 0; round < 5; round++) mix();
  mash();
  for (let round = 0; round < 6; round++) mix();
  mash();
  for (let round = 0; round < 5; round++) mix();
  for (let i = 0; i < 4; i++) block.writeUInt16LE(r[i] as number, offset + 2 * i);
}

/** RC2-CBC decryption with PKCS#7 padding removal. Throws on a bad length or padding. */
export function rc2CbcDecrypt(key: Buffer, iv: Buffer, ciphertext: Buffer): Buffer {
  if (ciphertext.length === 0 || ciphertext.length % 8 !== 0 || iv.length !== 8)
    throw new Error('bad RC2-CBC input length');
  const k = rc2ExpandKey(key);
  const out = Buffer.from(ciphertext);
  for (let off = 0; off < out.length; off += 8) {
    rc2DecryptBlock(k, out, off);
    const prev = off === 0 ? iv : ciphertext.subarray(off - 8, off);
    for (let i = 0; i < 8; i++) out[off + i] = (out[off + i] as number) ^ (prev[i] as number);
  }
  const pad = out[out.length - 1] as number;
  if (pad < 1 || pad > 8 || out.subarray(out.length - pad).some((b) => b !== pad))
    throw new Error('bad RC2-CBC padding');
  return out.subarray(0, out.length - pad);
}
