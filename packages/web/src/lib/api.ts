/** An answer of the API that is not a 2xx, with the API's `{ error: { code, message } }`. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface GetOptions {
  /**
   * Ask the server even when the browser holds a fresh copy (with `If-None-Match`, so an unchanged
   * body costs a 304). Used after a `snapshot` notice: the copy's `max-age` runs to the next
   * expected run, which the notice has just overtaken.
   */
  revalidate?: boolean;
}

/**
 * GETs a JSON body of the public API from this origin. A page asks for its bodies once per view (a
 * snapshot; or a relay, its history and its outages) and then only on a `snapshot` notice, so a
 * person browsing stays far below the API's per-client rate limit.
 */
export async function getJson<T>(path: string, { revalidate = false }: GetOptions = {}): Promise<T> {
  const res = await fetch(path, {
    headers: { Accept: 'application/json' },
    cache: revalidate ? 'no-cache' : 'default',
    credentials: 'omit',
  });
  if (!res.ok) {
    let code = 'http_error';
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
      if (typeof body.error?.code === 'string') code = body.error.code;
      if (typeof body.error?.message === 'string') message = body.error.message;
    } catch {
      // not the API's JSON error: keep the status line
    }
    throw new ApiRequestError(res.status, code, message);
  }
  return (await res.json()) as T;
}
