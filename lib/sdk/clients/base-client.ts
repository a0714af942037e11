/** BaseClient: the shared base of the Organization, Directory and Service clients (docs/protocol.md §A2.1). */
import { isJsonObject } from '../entities/schema';
import { InvalidEntityID, UnexpectedAPIResponse } from '../errors';
import type { Transport } from '../transport/types';
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

  /** Throws `UnexpectedAPIResponse` carrying the data when a validation fails. */
  protected unexpected(message: string, data: unknown, statusCode: number | null = null): never {
    throw new UnexpectedAPIResponse(message, statusCode, null, isJsonObject(data) ? data : { value: data });
  }

  /** URI-encodes a path segment (ids passed to client methods are sent as given, encoded). */
  protected static segment(value: string): string {
    return encodeURIComponent(value);
  }
}
