import { vi } from "vitest";

export interface RecordedCall {
  method: string;
  path: string;
  url: URL;
  headers: Headers;
  credentials: RequestCredentials | undefined;
  body: unknown;
}

export type RouteHandler = (call: RecordedCall, index: number) => Response | Promise<Response>;

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

export function emptyResponse(status = 204): Response {
  return new Response(null, { status });
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  options: {
    requestId?: string;
    details?: { loc: (string | number)[]; msg: string }[];
    headers?: Record<string, string>;
  } = {},
): Response {
  const error: Record<string, unknown> = {
    code,
    message,
    request_id: options.requestId ?? "00000000-0000-4000-8000-000000000000",
  };
  if (options.details) error.details = options.details;
  return jsonResponse(status, { error }, options.headers);
}

/**
 * A fetch that answers from a table of "METHOD /path" handlers and records
 * every call. Unknown routes answer 404 in the API's error shape.
 */
export function createFakeFetch(routes: Record<string, RouteHandler>) {
  const calls: RecordedCall[] = [];
  const counts = new Map<string, number>();

  const fetchImpl = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(
      typeof input === "string" ? input : input instanceof URL ? input.href : input.url,
      "http://app.test",
    );
    const method = (init.method ?? "GET").toUpperCase();
    const headers = new Headers(init.headers);
    const body = typeof init.body === "string" ? (JSON.parse(init.body) as unknown) : undefined;
    const call: RecordedCall = { method, path: url.pathname, url, headers, credentials: init.credentials, body };
    calls.push(call);
    const key = `${method} ${url.pathname}`;
    const handler = routes[key];
    const index = counts.get(key) ?? 0;
    counts.set(key, index + 1);
    if (!handler) return errorResponse(404, "not_found", `No fake route for ${key}.`);
    return handler(call, index);
  });

  return {
    fetch: fetchImpl as unknown as typeof fetch,
    calls,
    callsTo(method: string, path: string): RecordedCall[] {
      return calls.filter((call) => call.method === method && call.path === path);
    },
  };
}

export type FakeFetch = ReturnType<typeof createFakeFetch>;
