/**
 * The one way the UI talks to the server: JSON over fetch with the session's bearer token. A 401 ends the
 * session everywhere (the auth provider listens), so no screen has to handle expiry itself.
 *
 * @example
 *   const ds = await api.get<Datasource>(`/v1/m/datasources/${id}`);
 *   await api.post(`/v1/m/datasources/${id}/apikeys`, { name: 'backend' });
 */
import { apiErrorFrom } from './errors.ts';

const TOKEN_KEY = 'equipoise.token';
export const SESSION_ENDED = 'equipoise:session-ended';

export function storedToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

export type Query = Record<string, string | number | boolean | readonly string[] | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const item of v) params.append(k, String(item));
    else params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

async function parseBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

export async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = storedToken();
  if (token) headers['Authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(withQuery(path, query), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const parsed = await parseBody(res);
  if (!res.ok) {
    if (res.status === 401 && token) window.dispatchEvent(new Event(SESSION_ENDED));
    throw apiErrorFrom(res.status, parsed);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body: unknown = {}, query?: Query) => request<T>('POST', path, body, query),
  patch: <T>(path: string, body: unknown, query?: Query) => request<T>('PATCH', path, body, query),
  put: <T>(path: string, body: unknown, query?: Query) => request<T>('PUT', path, body, query),
  delete: <T = void>(path: string, query?: Query) => request<T>('DELETE', path, undefined, query),
};

/**
 * Downloads a file from an authenticated route: fetched with the bearer token (a plain link could not send
 * it), then saved through an object URL. Resolves with the byte count so callers can say what arrived.
 */
export async function downloadFile(path: string, fallbackName: string): Promise<number> {
  const token = storedToken();
  const res = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw apiErrorFrom(res.status, await parseBody(res));
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return blob.size;
}
