import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { language } from './i18n';
import type { ClaimNames, Session } from './session';

/** What the console's server says at /config.json: where the API and the issuer are, and how to sign in there. */
export interface RuntimeConfig {
  apiUrl: string;
  issuer: string;
  devSignIn: boolean;
  /** The console's public client at the issuer (code flow with PKCE); none: no sign-in at the issuer. */
  clientId?: string;
  scope?: string;
  /** The claim names the gateway reads (OIDC_*_CLAIM). */
  claims?: Partial<ClaimNames>;
}

export interface FieldProblem {
  path: string;
  message: string;
}

/** RFC 9457 problem details, as the API sends them. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title);
  }
}

let config: RuntimeConfig;
let session: Session | undefined;
let onUnauthorized: () => void = () => undefined;

export function configureApi(c: RuntimeConfig, unauthorized: () => void) {
  config = c;
  onUnauthorized = unauthorized;
}
export const runtimeConfig = () => config;
export function setApiSession(s: Session | undefined) {
  session = s;
}

export interface ApiResult<T> {
  status: number;
  data?: T;
  etag?: string;
}

/** The headers of every call: JSON, the reader's language, and the signed-in person's token. */
function apiHeaders(extra?: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language(), ...extra };
  if (session) headers.authorization = `Bearer ${session.token}`;
  return headers;
}

/** Sends to the API; no answer at all becomes ApiError 0 (the network). */
async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(`${config.apiUrl}${path}`, init);
  } catch {
    throw new ApiError(0, { title: 'Network', status: 0, detail: 'network' });
  }
}

/** The answer's JSON body; a refusal becomes ApiError (its problem+json, else the status and text). */
async function answerOf(res: Response): Promise<unknown> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    if (res.status === 401 && session) onUnauthorized();
    throw new ApiError(res.status, (body && typeof body === 'object' ? body : { title: res.statusText, status: res.status, detail: text }) as Problem);
  }
  return body;
}

/** One call to the public API with the signed-in person's token; problems become ApiError. */
export async function request<T>(method: string, path: string, options: { body?: unknown; etag?: string; headers?: Record<string, string> } = {}): Promise<ApiResult<T>> {
  const headers = apiHeaders(options.headers);
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  // no-store: the console does its own conditional requests (If-None-Match) and reads the 304s.
  const res = await send(path, { method, headers, cache: 'no-store', body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  if (res.status === 304) return { status: 304, etag: options.etag };
  const data = (await answerOf(res)) as T;
  return { status: res.status, data, etag: res.headers.get('etag') ?? undefined };
}

export const get = async <T>(path: string) => (await request<T>('GET', path)).data as T;
export const post = async <T>(path: string, body: unknown = {}, headers?: Record<string, string>) => (await request<T>('POST', path, { body, headers })).data as T;
export const put = async <T>(path: string, body: unknown) => (await request<T>('PUT', path, { body })).data as T;

export interface Loaded<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  /** True once the first answer (or error) came. */
  ready: boolean;
  reload: () => void;
}

/**
 * Loads a resource, and with `pollMs` keeps it fresh: each poll sends the last ETag in
 * If-None-Match, so an unchanged resource costs a 304 without a body. Polling pauses while the
 * tab is hidden. `onChange` sees every new version after the first.
 */
export function useResource<T>(path: string | undefined, options: { pollMs?: number; onChange?: (next: T, previous: T) => void; refreshKey?: unknown } = {}): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean; ready: boolean }>({ loading: !!path, ready: false });
  const etag = useRef<string | undefined>(undefined);
  const latest = useRef<T | undefined>(undefined);
  const onChange = useRef(options.onChange);
  onChange.current = options.onChange;
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    etag.current = undefined;
    latest.current = undefined;
    setState({ loading: !!path, ready: false });
  }, [path]);

  useEffect(() => {
    if (!path) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      if (document.hidden && latest.current !== undefined) return schedule();
      try {
        const res = await request<T>('GET', path, { etag: etag.current });
        if (cancelled) return;
        if (res.status !== 304) {
          const previous = latest.current;
          etag.current = res.etag;
          latest.current = res.data;
          if (previous !== undefined && onChange.current) onChange.current(res.data as T, previous);
          setState({ data: res.data, loading: false, ready: true });
        } else {
          setState((s) => (s.loading || s.error ? { data: s.data, loading: false, ready: true } : s));
        }
      } catch (err) {
        if (cancelled) return;
        setState((s) => ({ data: s.data, error: err as ApiError, loading: false, ready: true }));
      }
      schedule();
    };
    const schedule = () => {
      if (!cancelled && options.pollMs) timer = setTimeout(() => void load(), options.pollMs);
    };
    void load();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [path, tick, options.pollMs, options.refreshKey]);

  return { ...state, reload };
}

/** A JSON pointer's segments (`/values/national-register~1birthDate` → ['values', 'national-register/birthDate']). */
export function pointerSegments(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Sends a multipart form (a document upload); problems become ApiError like every call. */
export async function postForm<T>(path: string, form: FormData): Promise<T> {
  return (await answerOf(await send(path, { method: 'POST', headers: apiHeaders(), body: form }))) as T;
}

/** Fetches a file with the signed-in person's token (a link cannot carry it) and saves it under `name`. */
export async function downloadFile(path: string, name: string): Promise<void> {
  const headers: Record<string, string> = { 'accept-language': language() };
  if (session) headers.authorization = `Bearer ${session.token}`;
  const res = await fetch(`${config.apiUrl}${path}`, { headers, cache: 'no-store' });
  if (!res.ok) {
    const text = await res.text();
    let problem: Problem;
    try {
      problem = JSON.parse(text) as Problem;
    } catch {
      problem = { title: res.statusText, status: res.status, detail: text };
    }
    throw new ApiError(res.status, problem);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
