/** Stable error codes of the public API (the `code` of every JSON error body). */
export type ApiErrorCode =
  | 'bad_request'
  | 'invalid_range'
  | 'invalid_parameter'
  | 'not_found'
  | 'method_not_allowed'
  | 'uri_too_long'
  | 'rate_limited'
  | 'too_many_streams'
  | 'no_snapshot'
  | 'unavailable'
  | 'internal';

/** The one error body: `{ "error": { "code", "message" } }`. */
export interface ErrorBody {
  error: { code: ApiErrorCode; message: string };
}

/** An error meant for the client; `app.onError` turns it into a JSON response. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: ApiErrorCode,
    message: string,
    { headers = {}, cause }: { headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause });
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** Builds the JSON error body. */
export function errorBody(code: ApiErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}
