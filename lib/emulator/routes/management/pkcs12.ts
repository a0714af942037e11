/**
 * Certificate fingerprint of a password-less PKCS#12 file (the directory `ios_p12`, docs/protocol.md §B5), with
 * node:crypto only. Supported bag encryptions: none, PBES2 (PBKDF2 with HMAC-SHA1/SHA-224/256/384/512 and
 * AES-128/192/256-CBC or DES-EDE3-CBC), pbeWithSHAAnd3-KeyTripleDES-CBC, pbeWithSHAAnd2-KeyTripleDES-CBC and the
 * RC2 schemes of older exports (40 and 128 bit; RC2 itself is in `rc2.ts`, Node's default provider lacks it).
 * Kept hand-written on purpose: the API answers the certificate's SHA-256 fingerprint (`ios_certificate_fingerprint`,
 * tested with 3DES, RC2 and AES files), Node cannot open PKCS#12, and `node-forge` would add about 1.6 MB for this
 * one emulator-only field.
 */
import { createDecipheriv, createHash, pbkdf2Sync, X509Certificate } from 'node:crypto';
import { children, DerError, expect, integer, octetContent, octets, oid, parseNode, type DerNode } from './der';
import { rc2CbcDecrypt } from './rc2';

const OID_DATA = '1.2.840.113549.1.7.1';
const OID_ENCRYPTED_DATA = '1.2.840.113549.1.7.6';
const OID_CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const OID_X509_CERT = '1.2.840.113549.1.9.22.1';
const OID_PBES2 = '1.2.840.113549.1.5.13';
const OID_PBKDF2 = '1.2.840.113549.1.5.12';
/** PKCS#12 PBE schemes (RFC 7292 appendix C): cipher and key length; the IV is 8 bytes for all. */
const PKCS12_PBE: Record<string, { cipher: string; keyLength: number }> = {
  '1.2.840.113549.1.12.1.3': { cipher: 'des-ede3-cbc', keyLength: 24 },
  '1.2.840.113549.1.12.1.4': { cipher: 'des-ede-cbc', keyLength: 16 },
  '1.2.840.113549.1.12.1.5': { cipher: 'rc2-cbc', keyLength: 16 },
  '1.2.840.113549.1.12.1.6': { cipher: 'rc2-cbc', keyLength: 5 },
};

const PRF: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};
const CIPHERS: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};

/** The PKCS#12 text or file is not usable (not base64, not PKCS#12, encrypted with a password, no certificate). */
export class Pkcs12Error extends Error {}

/**
 * SHA-256 fingerprint, uppercase colon-separated hex, of the first certificate in a password-less PKCS#12 given
 * as base64 text (line breaks and other whitespace allowed). Expired certificates are accepted.
 * @throws Pkcs12Error
 */
export function p12CertificateFingerprint(base64Text: string): string {
  const compact = base64Text.replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new Pkcs12Error('ios_p12 must be base64 text');
  const der = firstCertificate(Buffer.from(compact, 'base64'));
  try {
    return new X509Certificate(der).fingerprint256.toUpperCase();
  } catch (error) {
    throw new Pkcs12Error(`ios_p12 holds an unreadable certificate: ${(error as Error).message}`);
  }
}

/** DER of the first X.509 certificate of a PKCS#12 file. */
export function firstCertificate(pfx: Buffer): Buffer {
  try {
    const top = children(expect(parseNode(pfx), 0x30, 'a PFX SEQUENCE'));
    if (integer(top[0]) !== 3) throw new Pkcs12Error('ios_p12 is not a version 3 PKCS#12 file');
    const authSafe = contentInfoData(top[1]);
    for (const info of children(expect(parseNode(authSafe), 0x30, 'an AuthenticatedSafe'))) {
      const cert = certificateIn(safeContentsOf(info));
      if (cert) return cert;
    }
  } catch (error) {
    if (error instanceof Pkcs12Error) throw error;
    if (error instanceof DerError) throw new Pkcs12Error(`ios_p12 is not a PKCS#12 file: ${error.message}`);
    throw new Pkcs12Error(`ios_p12 cannot be read: ${(error as Error).message}`);
  }
  throw new Pkcs12Error('ios_p12 holds no certificate');
}

/** The octets of a ContentInfo of type `data`. */
function contentInfoData(node: DerNode | undefined): Buffer {
  const parts = children(expect(node, 0x30, 'a ContentInfo'));
  if (oid(parts[0]) !== OID_DATA)
    throw new Pkcs12Error('ios_p12 uses public-key integrity mode, which is not supported');
  return octets(children(expect(parts[1], 0xa0, 'ContentInfo content'))[0]);
}

/** The SafeContents DER inside an AuthenticatedSafe item (plain or password-encrypted with the empty password). */
function safeContentsOf(info: DerNode): Buffer {
  const parts = children(expect(info, 0x30, 'a ContentInfo'));
  const type = oid(parts[0]);
  if (type === OID_DATA) return octets(children(expect(parts[1], 0xa0, 'ContentInfo content'))[0]);
  if (type !== OID_ENCRYPTED_DATA) throw new Pkcs12Error(`ios_p12 has an unsupported content type ${type}`);
  const encryptedData = children(
    expect(children(expect(parts[1], 0xa0, 'ContentInfo content'))[0], 0x30, 'EncryptedData'),
  );
  const eci = children(expect(encryptedData[1], 0x30, 'EncryptedContentInfo'));
  const algorithm = eci[1] as DerNode;
  const content = eci[2];
  if (content === undefined || (content.tag !== 0x80 && content.tag !== 0xa0))
    throw new Pkcs12Error('ios_p12 has no encrypted content');
  return decryptWithEmptyPassword(algorithm, octetContent(content));
}

/** The first certificate of a SafeContents, or null. */
function certificateIn(safeContents: Buffer): Buffer | null {
  for (const bag of children(expect(parseNode(safeContents), 0x30, 'SafeContents'))) {
    const parts = children(expect(bag, 0x30, 'a SafeBag'));
    if (oid(parts[0]) !== OID_CERT_BAG) continue;
    const certBag = children(expect(children(expect(parts[1], 0xa0, 'bag value'))[0], 0x30, 'a CertBag'));
    if (oid(certBag[0]) !== OID_X509_CERT) continue;
    return octets(children(expect(certBag[1], 0xa0, 'certificate value'))[0]);
  }
  return null;
}

/** Decrypts with the empty password; a wrong padding means the file has a password. */
function decryptWithEmptyPassword(algorithm: DerNode, ciphertext: Buffer): Buffer {
  const parts = children(expect(algorithm, 0x30, 'an AlgorithmIdentifier'));
  const type = oid(parts[0]);
  const attempts: Array<{ cipher: string; key: Buffer; iv: Buffer }> = [];
  if (type === OID_PBES2) {
    const [kdf, scheme] = children(expect(parts[1], 0x30, 'PBES2 parameters'));
    const kdfParts = children(expect(kdf, 0x30, 'a key derivation AlgorithmIdentifier'));
    if (oid(kdfParts[0]) !== OID_PBKDF2) throw new Pkcs12Error('ios_p12 uses an unsupported key derivation');
    const schemeParts = children(expect(scheme, 0x30, 'an encryption scheme'));
    const cipher = CIPHERS[oid(schemeParts[0])];
    if (!cipher) throw new Pkcs12Error('ios_p12 uses an unsupported cipher');
    const params = children(expect(kdfParts[1], 0x30, 'PBKDF2 parameters'));
    const salt = octets(params[0]);
    const iterations = iterationCount(params[1]);
    let prf = 'sha1';
    for (const extra of params.slice(2)) {
      if (extra.tag === 0x30) prf = PRF[oid(children(extra)[0])] ?? '';
    }
    if (!prf) throw new Pkcs12Error('ios_p12 uses an unsupported PBKDF2 hash');
    const key = pbkdf2Sync(Buffer.alloc(0), salt, iterations, cipher.keyLength, prf);
    attempts.push({ cipher: cipher.name, key, iv: octets(schemeParts[1]) });
  } else if (PKCS12_PBE[type]) {
    const scheme = PKCS12_PBE[type];
    const params = children(expect(parts[1], 0x30, 'PBE parameters'));
    const salt = octets(params[0]);
    const iterations = iterationCount(params[1]);
    // The empty password is the two-byte BMPString terminator (OpenSSL's ""), or no bytes at all (a NULL password).
    for (const password of [Buffer.alloc(2), Buffer.alloc(0)]) {
      attempts.push({
        cipher: scheme.cipher,
        key: pkcs12Kdf(password, salt, iterations, 1, scheme.keyLength),
        iv: pkcs12Kdf(password, salt, iterations, 2, 8),
      });
    }
  } else {
    throw new Pkcs12Error(`ios_p12 uses an unsupported encryption (${type}); export it with AES or 3DES`);
  }
  for (const attempt of attempts) {
    try {
      if (attempt.cipher === 'rc2-cbc') return rc2CbcDecrypt(attempt.key, attempt.iv, ciphertext);
      const decipher = createDecipheriv(attempt.cipher, attempt.key, attempt.iv);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      // try the next password encoding
    }
  }
  throw new Pkcs12Error('ios_p12 is protected by a password; the API needs a password-less PKCS#12 file');
}

/** Most key-derivation iterations accepted (a huge count would stall the emulator). */
const MAX_ITERATIONS = 1_000_000;

function iterationCount(node: DerNode | undefined): number {
  const n = integer(node);
  if (n < 1 || n > MAX_ITERATIONS)
    throw new Pkcs12Error(`ios_p12 asks for ${n} key-derivation iterations (1 to ${MAX_ITERATIONS} accepted)`);
  return n;
}

/** The PKCS#12 key derivation function with SHA-1 (RFC 7292 appendix B.2). */
function pkcs12Kdf(password: Buffer, salt: Buffer, iterations: number, id: number, length: number): Buffer {
  const u = 20;
  const v = 64;
  const fill = (src: Buffer): Buffer => {
    if (src.length === 0) return Buffer.alloc(0);
    const out = Buffer.alloc(v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length] as number;
    return out;
  };
  const d = Buffer.alloc(v, id);
  const i = Buffer.concat([fill(salt), fill(password)]);
  const out: Buffer[] = [];
  for (let block = 0; block < Math.ceil(length / u); block++) {
    let a = createHash('sha1').update(d).update(i).digest();
    for (let r = 1; r < iterations; r++) a = createHash('sha1').update(a).digest();
    out.push(a);
    const b = fill(a);
    for (let j = 0; j < i.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = (i[j + k] as number) + (b[k] as number) + carry;
        i[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, length);
}
