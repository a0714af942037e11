/** The error a route handler throws to answer with an API error object (docs/protocol.md §8.1). */

/**
 * An API error answer: HTTP `status`, `error_code` (e.g. `ARG-001`, or `HTTP-404` for statuses without a code),
 * `error_detail` (a string, or an object of parameter messages for ARG-001) and optional `error_data`.
 * The emulator encrypts it to the caller like any other result.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly detail: string | Record<string, string>;
  readonly data: Record<string, unknown> | undefined;

  constructor(
    status: number,
    errorCode: string,
    detail: string | Record<string, string>,
    data?: Record<string, unknown>,
  ) {
    super(typeof detail === 'string' ? detail : JSON.stringify(detail));
    this.name = 'ApiError';
    this.status = status;
    this.errorCode = errorCode;
    this.detail = detail;
    this.data = data;
  }

  /** The error object sent on the wire (inside the JWE). */
  toBody(): Record<string, unknown> {
    const body: Record<string, unknown> = { error_code: this.errorCode, error_detail: this.detail };
    if (this.data !== undefined) body['error_data'] = this.data;
    return body;
  }

  /** ARG-001 (400): a parameter is missing, malformed or out of range. */
  static invalidParameters(detail: string | Record<string, string>): ApiError {
    return new ApiError(400, 'ARG-001', detail);
  }

  /** A status without an API code (403, 404, 408, 409, 429): `HTTP-<status>` (docs/protocol.md §8.3). */
  static httpStatus(status: number, detail: string): ApiError {
    return new ApiError(status, `HTTP-${status}`, detail);
  }

  /** 404 `HTTP-404`: unknown user, device or request. */
  static notFound(detail: string): ApiError {
    return ApiError.httpStatus(404, detail);
  }

  /** 403 `HTTP-403`: the caller may not act on that entity. */
  static forbidden(detail: string): ApiError {
    return ApiError.httpStatus(403, detail);
  }
}
