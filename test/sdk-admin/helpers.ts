/**
 * Helpers of the admin-client tests: RSA keys, factories pointed at an emulator (started with the shared fixture,
 * test/fixtures/emulator.ts), and a transport wrapper that records the plaintext bodies the clients send (and can
 * rewrite one verified answer, to play an API that answers something the emulator never would). The wrapper
 * delegates every call to a real `JOSETransport`: signing, encryption and verification all happen for real against
 * the emulator.
 */
import { generateKeyPairSync } from 'node:crypto';
import {
  DirectoryFactory,
  JOSETransport,
  OrganizationFactory,
  type ApiResponse,
  type HttpMethod,
  type IssuerType,
  type Transport,
  type VerifiedApiJwt,
} from 'passport-truvalidate/sdk';
import type { Emulator } from '../fixtures/emulator';

/** A fresh 2048-bit RSA key pair as PEM strings. */
export function rsaKeyPair(bits = 2048): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKey, publicKey };
}

/** One call as the client handed it to the transport. */
export interface RecordedCall {
  method: HttpMethod;
  path: string;
  subject: string;
  body: Record<string, unknown> | undefined;
}

/** A transport that records calls and may rewrite the data of the next verified answer; see the file comment. */
export class RecordingTransport implements Transport {
  readonly calls: RecordedCall[] = [];
  private rewrite: ((data: unknown) => unknown) | null = null;

  constructor(private readonly inner: Transport = new JOSETransport()) {}

  /** The data of the next answer goes through `fn` (once). */
  rewriteNextAnswer(fn: (data: unknown) => unknown): void {
    this.rewrite = fn;
  }

  /** The last recorded call. */
  get last(): RecordedCall {
    const call = this.calls[this.calls.length - 1];
    if (!call) throw new Error('no call recorded');
    return call;
  }

  get issuer(): string {
    return this.inner.issuer;
  }
  setUrl(url: string, testing: boolean): void {
    this.inner.setUrl(url, testing);
  }
  setIssuer(issuer: IssuerType, issuerId: string, privateKey: string): void {
    this.inner.setIssuer(issuer, issuerId, privateKey);
  }
  addEncryptionPrivateKey(privateKey: string): boolean {
    return this.inner.addEncryptionPrivateKey(privateKey);
  }
  async request<T = unknown>(
    method: HttpMethod,
    path: string,
    subject: string,
    body?: Record<string, unknown>,
  ): Promise<ApiResponse<T>> {
    this.calls.push({ method, path, subject, body: body === undefined ? undefined : structuredClone(body) });
    const response = await this.inner.request<T>(method, path, subject, body);
    const rewrite = this.rewrite;
    this.rewrite = null;
    return rewrite ? { ...response, data: rewrite(response.data) as T } : response;
  }
  get<T = unknown>(path: string, subject: string): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path, subject);
  }
  post<T = unknown>(path: string, subject: string, body?: Record<string, unknown>): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, subject, body);
  }
  put<T = unknown>(path: string, subject: string, body?: Record<string, unknown>): Promise<ApiResponse<T>> {
    return this.request<T>('PUT', path, subject, body);
  }
  patch<T = unknown>(path: string, subject: string, body?: Record<string, unknown>): Promise<ApiResponse<T>> {
    return this.request<T>('PATCH', path, subject, body);
  }
  delete<T = unknown>(path: string, subject: string, body?: Record<string, unknown>): Promise<ApiResponse<T>> {
    return this.request<T>('DELETE', path, subject, body);
  }
  decryptResponse(jwe: string): Promise<string> {
    return this.inner.decryptResponse(jwe);
  }
  decryptRsaResponse(ciphertextBase64: string, keyId: string): string {
    return this.inner.decryptRsaResponse(ciphertextBase64, keyId);
  }
  verifyJwtRequest(
    jwt: string,
    subject: string,
    method: string,
    path: string,
    body: string | Uint8Array,
  ): Promise<VerifiedApiJwt> {
    return this.inner.verifyJwtRequest(jwt, subject, method, path, body);
  }
  parseApiTime(value: string): number {
    return this.inner.parseApiTime(value);
  }
}

/** An organization factory on the emulator's organization dual-purpose key, with a recording transport. */
export function organizationFactory(emulator: Emulator): {
  factory: OrganizationFactory;
  transport: RecordingTransport;
} {
  const transport = new RecordingTransport();
  const factory = new OrganizationFactory(emulator.organization.id, emulator.organization.privateKey, {
    url: emulator.url,
    transport,
  });
  return { factory, transport };
}

/** A directory factory on the emulator's directory key, with a recording transport. */
export function directoryFactory(emulator: Emulator): { factory: DirectoryFactory; transport: RecordingTransport } {
  const transport = new RecordingTransport();
  const factory = new DirectoryFactory(emulator.directory.id, emulator.directory.privateKey, {
    url: emulator.url,
    transport,
  });
  return { factory, transport };
}

/** A UUID no entity has. */
export const UNKNOWN_ID = '00000000-0000-1000-8000-000000000000';

/** Runs `fn` and returns the warnings (`process.emitWarning`) emitted meanwhile, as `"<type>: <message>"`. */
export async function captureWarnings<T>(fn: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const listener = (w: Error): void => {
    warnings.push(`${w.name}: ${w.message}`);
  };
  process.on('warning', listener);
  try {
    const result = await fn();
    await new Promise((resolve) => setImmediate(resolve));
    return { result, warnings };
  } finally {
    process.off('warning', listener);
  }
}
