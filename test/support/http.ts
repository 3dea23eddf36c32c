/** A small HTTP client for tests: JSON in, JSON (or problem+json) out, with a bearer token. */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  contentType: string;
}

export class Api {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  as(token: string): Api {
    return new Api(this.baseUrl, token);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const init: RequestInit = { method, headers: { accept: 'application/json', ...headers } };
    if (this.token) (init.headers as Record<string, string>).authorization = `Bearer ${this.token}`;
    if (body !== undefined) {
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(`${this.baseUrl}${path}`, init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed as T, contentType: res.headers.get('content-type') ?? '' };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body ?? {}, headers);
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
  del<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

/** Asserts an RFC 9457 problem response with the given status, and returns it. */
export function expectProblem(res: ApiResponse, status: number) {
  if (res.status !== status || !res.contentType.startsWith('application/problem+json')) {
    throw new Error(`Expected a ${status} problem+json, got ${res.status} ${res.contentType}: ${JSON.stringify(res.body)}`);
  }
  if (typeof res.body?.detail !== 'string' || !res.body.detail) throw new Error('A problem must say what to fix (detail).');
  return res.body as { status: number; title: string; detail: string; errors?: Array<{ path: string; message: string }> };
}
