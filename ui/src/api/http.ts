// The one way the app calls Weft: same-origin fetches of the public API with the session's bearer
// token. A 401 refreshes the token once (refresh cookie) and retries; if that fails the session ends
// and the app shows the sign-in page.
import { session } from './session';

/** A failed API call: the status and the server's `detail`, turned into one readable sentence. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
  ) {
    super(describeDetail(status, detail));
    this.name = 'ApiError';
  }
}

/** FastAPI's `detail` (a string, a list of 422 errors, or an object with `message`) as a sentence. */
export function describeDetail(status: number, detail: unknown): string {
  if (typeof detail === 'string' && detail) return detail;
  if (Array.isArray(detail)) {
    const parts = detail.map((item) => {
      if (item && typeof item === 'object' && 'msg' in item) {
        const loc = 'loc' in item && Array.isArray(item.loc) ? item.loc.filter((p: unknown) => p !== 'body').join('.') : '';
        return loc ? `${loc}: ${String(item.msg)}` : String(item.msg);
      }
      return String(item);
    });
    if (parts.length > 0) return parts.join('; ');
  }
  if (detail && typeof detail === 'object' && 'message' in detail) return String(detail.message);
  if (status === 0) return 'The server could not be reached';
  return `The server answered ${status}`;
}

export interface RequestOptions extends Omit<RequestInit, 'body'> {
  json?: unknown;
  body?: BodyInit;
  /** Skip the refresh-and-retry on 401 (the auth calls themselves). */
  noRetry?: boolean;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const { json, noRetry: _noRetry, headers: given, ...init } = options;
  const headers = new Headers(given);
  const token = session.getState().accessToken;
  if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  if (json !== undefined) headers.set('content-type', 'application/json');
  headers.set('accept', headers.get('accept') ?? 'application/json');
  try {
    return await fetch(path, { ...init, headers, credentials: 'same-origin', body: json !== undefined ? JSON.stringify(json) : init.body });
  } catch {
    throw new ApiError(0, 'The server could not be reached. Is `weft serve` running?');
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  let detail: unknown = text;
  try {
    const parsed = JSON.parse(text) as { detail?: unknown };
    detail = parsed && typeof parsed === 'object' && 'detail' in parsed ? parsed.detail : parsed;
  } catch {
    // Not JSON (a proxy's page): the status says it.
    detail = response.status === 413 ? 'The file is too large for the server' : '';
  }
  return new ApiError(response.status, detail);
}

/** The raw response of a successful call (downloads); throws ApiError otherwise. */
export async function apiResponse(path: string, options: RequestOptions = {}): Promise<Response> {
  let response = await send(path, options);
  if (response.status === 401 && !options.noRetry && (await session.getState().renew())) {
    response = await send(path, options);
  }
  if (response.status === 401 && !options.noRetry) session.getState().expire();
  if (!response.ok) throw await errorOf(response);
  return response;
}

/** A JSON call; 204 gives undefined. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await apiResponse(path, options);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
