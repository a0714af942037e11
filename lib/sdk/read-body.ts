/**
 * One reader of whole request bodies with a size limit, for the two servers of the package: the strategy's webhook
 * route and the emulator. (The SDK's own HTTP client reads answers in lib/sdk/transport/node-http-exchange.ts, where
 * the limit and the whole-exchange timeout share one state machine.) `raw-body` would do the same, but it is not a
 * dependency of the core, and these lines are all that is needed.
 */
import type { Readable } from 'node:stream';

/** Thrown by {@link readBody} when the body is larger than the limit (the rest of it is drained, not kept). */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The body is larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads a stream to its end into one Buffer of at most `limit` bytes. Over the limit it rejects with
 * {@link BodyTooLargeError} and drains the rest (so that the caller can still answer 413); a stream error rejects
 * with that error.
 */
export function readBody(stream: Readable, limit: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        stream.resume();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
