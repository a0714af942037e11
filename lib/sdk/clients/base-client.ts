/** BaseClient: the shared base of the Organization, Directory and Service clients (docs/protocol.md §A2.1). */
import { isJsonObject } from '../entities/schema';
import { InvalidEntityID, InvalidParameters, UnexpectedAPIResponse } from '../errors';
import type { PingResult, Transport } from '../transport/types';
import { parseUuid } from '../utils';

/** Entity type of a client's subject. */
export type SubjectType = 'org' | 'dir' | 'svc';

/**
 * Base of every client: holds the transport (shared with the factory that made the client) and the subject
 * entity string `"<type>:<id>"` that every call is about. Errors are translated by the transport.
 */
export abstract class BaseClient {
  /** The subject entity string, e.g. `svc:<uuid>`. */
  protected readonly subject: string;
  /** The client's entity id (lower-case UUID). */
  protected readonly subjectId: string;
  /** @internal */
  protected readonly transport: Transport;

  /**
   * @param subjectType `org`, `dir` or `svc`
   * @param subjectId entity id; must be a UUID, else `InvalidEntityID`
   * @param transport the factory's transport
   */
  constructor(subjectType: SubjectType, subjectId: string, transport: Transport) {
    const id = parseUuid(subjectId);
    if (!id) throw new InvalidEntityID(`${subjectType} id must be a UUID, got ${JSON.stringify(subjectId)}`);
    this.subjectId = id;
    this.subject = `${subjectType}:${id}`;
    this.transport = transport;
  }

  /**
   * Pings the API's public ping endpoint (`GET /public/v3/ping`, no credentials used) through this client's
   * transport: resolves the API's time, the round-trip time in ms and the offset of the API clock from the local
   * clock in ms (API minus local; the transport also uses it to check JWT times). For health checks (TS addition;
   * the Python SDK pings only inside its transport).
   * @throws UnexpectedAPIResponse when the API is unreachable, does not answer within the transport's `timeoutMs`,
   *   or answers anything but HTTP 200 with an `api_time`
   * @throws InvalidParameters when the transport has no `ping` (a custom transport)
   */
  async ping(): Promise<PingResult> {
    if (typeof this.transport.ping !== 'function') {
      throw new InvalidParameters("this client's transport does not offer ping()");
    }
    return this.transport.ping();
  }

  /** Throws `UnexpectedAPIResponse` carrying the data when a validation fails. */
  protected unexpected(message: string, data: unknown, statusCode: number | null = null): never {
    throw new UnexpectedAPIResponse(message, statusCode, null, isJsonObject(data) ? data : { value: data });
  }

  /** URI-encodes a path segment (ids passed to client methods are sent as given, encoded). */
  protected static segment(value: string): string {
    return encodeURIComponent(value);
  }
}
