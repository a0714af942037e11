/**
 * ApiErrorResponse: a non-2xx API answer as the transport reads it (Python `transports.base.APIErrorResponse`,
 * docs/protocol.md §A6). The transport does not return it: `translateApiError` builds one from the error body and
 * throws the matching error class of docs/protocol.md §A2.1, whose `errorCode`, `detail`, `data`, `statusCode` and
 * `reason` carry these values.
 */
export class ApiErrorResponse {
  /**
   * @param errorCode the API's `error_code` (e.g. `SVC-005`), or `HTTP-<status>` when the body carries none
   * @param errorDetail the API's `error_detail` (a string or an object), or the reason phrase when the body carries
   * none
   * @param errorData the API's `error_data` when it is a JSON object, else null
   * @param statusCode HTTP status of the answer
   * @param reason HTTP reason phrase
   */
  constructor(
    readonly errorCode: string,
    readonly errorDetail: unknown,
    readonly errorData: Record<string, unknown> | null,
    readonly statusCode: number,
    readonly reason: string,
  ) {}

  /**
   * Reads an error answer. A body counts when it is a JSON object with both `error_code` and `error_detail`;
   * otherwise (none, unreadable, other shape) the code is `HTTP-<status>` and the detail the reason phrase.
   *
   * @param body the decrypted error body, or null/undefined when there was none or it could not be read
   * @param statusCode HTTP status of the answer
   * @param reason HTTP reason phrase
   */
  static fromBody(body: unknown, statusCode: number, reason: string): ApiErrorResponse {
    if (
      body === null ||
      typeof body !== 'object' ||
      Array.isArray(body) ||
      !('error_code' in body) ||
      !('error_detail' in body)
    ) {
      return new ApiErrorResponse(`HTTP-${statusCode}`, reason, null, statusCode, reason);
    }
    const b = body as Record<string, unknown>;
    const d = b['error_data'];
    const data = d !== null && typeof d === 'object' && !Array.isArray(d) ? (d as Record<string, unknown>) : null;
    return new ApiErrorResponse(String(b['error_code']), b['error_detail'], data, statusCode, reason);
  }
}
