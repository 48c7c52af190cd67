/** Calls to the collector's JSON API on the same origin, with the session's bearer token if any. */

const TOKEN_KEY = 'infertrace.token';

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string | null): void {
  if (value === null || value === '') sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, value);
  window.dispatchEvent(new Event('infertrace:token'));
}

/** Listeners told when the collector refused the token (or asked for one). */
export const unauthorized = new EventTarget();

export type Query = Record<string, string | number | undefined | null>;

export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

export async function api<T>(path: string, query: Query = {}, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  const t = token();
  if (t !== null) headers.set('authorization', `Bearer ${t}`);
  const res = await fetch(apiUrl(path, query), { ...init, headers });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    // 401: no token, or one the collector does not know: ask for one. 403 (valid, lacking the
    // scope) is shown as the page's failure: another token would be the operator's choice.
    if (res.status === 401) unauthorized.dispatchEvent(new Event('unauthorized'));
    throw new ApiError(
      res.status,
      err?.code ?? `http_${res.status}`,
      err?.message ?? `${res.status} ${res.statusText}`,
    );
  }
  return body as T;
}

/** As api(), but a 404 is `null` (an empty state, not a failure). */
export async function apiOrNull<T>(path: string, query: Query = {}): Promise<T | null> {
  try {
    return await api<T>(path, query);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}
