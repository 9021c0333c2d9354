// The workbench's only way to data: the HTTP API of caselink serve, under
// the signed-in user's token. The token lives in this module's memory only:
// never in a URL, a cookie the page can read, or storage; a reload signs out.
export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string) {
    super(message);
  }
}

export interface Me {
  name: string;
  role: string;
  markings: string;
  expires_at: number;
  may: string[];
}

type Query = Record<string, string | number | boolean | undefined | null | string[]>;

export class Api {
  constructor(private readonly token: string) {}

  url(path: string, query?: Query): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null || v === "") continue;
      if (Array.isArray(v)) {
        if (v.length) params.set(k, v.join(","));
      } else {
        params.set(k, String(v));
      }
    }
    const qs = params.toString();
    return path + (qs ? "?" + qs : "");
  }

  async get<T>(path: string, query?: Query): Promise<T> {
    return this.send<T>("GET", this.url(path, query));
  }

  async post<T>(path: string, body: unknown, query?: Query): Promise<T> {
    return this.send<T>("POST", this.url(path, query), JSON.stringify(body));
  }

  // A document the API answers (not JSON), as a Blob: for downloads the
  // token must go in a header, so a plain link cannot fetch them.
  async blob(path: string): Promise<Blob> {
    const res = await fetch(path, { headers: { Authorization: "Bearer " + this.token }, credentials: "omit", cache: "no-store" });
    if (!res.ok) throw new ApiError(res.status, "error", `GET ${path}: ${res.status}`);
    return res.blob();
  }

  private async send<T>(method: string, url: string, body?: string): Promise<T> {
    const headers: Record<string, string> = { Authorization: "Bearer " + this.token };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(url, { method, headers, body, credentials: "omit", cache: "no-store" });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      throw new ApiError(res.status, "bad_json", `${method} ${url}: the server answered ${res.status} with no JSON`);
    }
    if (!res.ok) {
      const e = (json ?? {}) as { error?: string; code?: string };
      throw new ApiError(res.status, e.code ?? "error", e.error ?? `${method} ${url}: ${res.status}`);
    }
    return json as T;
  }
}

// An id as one path segment (entity ids are plain; a phone is "tel:+44...").
export function seg(id: string): string {
  return encodeURIComponent(id);
}
