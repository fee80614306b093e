import type { TokenResponse } from "@/api/models";
import { isApiError, networkError, readApiError } from "./api-error";

export type QueryScalar = string | number | boolean;
/** A list repeats the parameter (`repo_id=1&repo_id=2`), as FastAPI reads lists. */
export type QueryValue = QueryScalar | readonly QueryScalar[] | null | undefined;

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  query?: Record<string, QueryValue>;
  /** Send the access token and refresh it on 401. False for the public auth routes. */
  auth?: boolean;
  signal?: AbortSignal;
}

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
}

type Listener = () => void;

const REFRESH_PATH = "/api/v1/auth/refresh";

/**
 * The one HTTP client of the app. It keeps the access token in memory only
 * (the refresh token is an HttpOnly cookie), refreshes it once on a 401 and
 * retries the request once, and tells listeners when the session is gone.
 */
export class ApiClient {
  readonly #baseUrl: string;
  readonly #fetch: typeof fetch;
  #accessToken: string | null = null;
  #refreshing: Promise<TokenResponse | null> | null = null;
  readonly #expiredListeners = new Set<Listener>();

  constructor(options: ApiClientOptions = {}) {
    this.#baseUrl = (options.baseUrl ?? "").replace(/\/+$/, "");
    // Bind so that a window.fetch taken from the global keeps its receiver.
    const fetchImpl = options.fetch ?? globalThis.fetch;
    this.#fetch = (input, init) => fetchImpl(input, init);
  }

  get accessToken(): string | null {
    return this.#accessToken;
  }

  get hasSession(): boolean {
    return this.#accessToken !== null;
  }

  /** Stores the access token of a login, setup or refresh answer. */
  startSession(tokens: TokenResponse): void {
    this.#accessToken = tokens.access_token;
  }

  clearSession(): void {
    this.#accessToken = null;
  }

  /** Called when a request failed with 401 and the session could not be refreshed. */
  onSessionExpired(listener: Listener): () => void {
    this.#expiredListeners.add(listener);
    return () => {
      this.#expiredListeners.delete(listener);
    };
  }

  url(path: string, query?: Record<string, QueryValue>): string {
    let url = `${this.#baseUrl}${path}`;
    if (query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value === undefined || value === null) continue;
        if (Array.isArray(value)) {
          for (const item of value as readonly QueryScalar[]) params.append(key, String(item));
        } else {
          params.set(key, String(value));
        }
      }
      const search = params.toString();
      if (search) url += `?${search}`;
    }
    return url;
  }

  /**
   * Exchanges the refresh cookie for a new access token. Concurrent callers
   * share one request. Resolves to null when there is no valid session.
   */
  refreshSession(): Promise<TokenResponse | null> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<TokenResponse | null> {
    const response = await this.#send(this.url(REFRESH_PATH), { method: "POST" }, null);
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      this.#accessToken = null;
      return null;
    }
    if (!response.ok) throw await readApiError(response);
    const tokens = (await response.json()) as TokenResponse;
    this.startSession(tokens);
    return tokens;
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const { method = "GET", body, query, auth = true, signal } = options;
    const url = this.url(path, query);
    const init: RequestInit = { method, signal };
    if (body !== undefined) init.body = JSON.stringify(body);

    const tokenUsed = auth ? this.#accessToken : null;
    let response = await this.#send(url, init, tokenUsed, body !== undefined);

    if (response.status === 401 && auth) {
      const error = await readApiError(response);
      // A wrong password is not an expired session.
      if (error.code === "invalid_credentials") throw error;
      let token = this.#accessToken;
      if (token === null || token === tokenUsed) {
        const tokens = await this.refreshSession();
        if (tokens === null) {
          this.#notifyExpired();
          throw error;
        }
        token = tokens.access_token;
      }
      response = await this.#send(url, init, token, body !== undefined);
    }

    if (!response.ok) throw await readApiError(response);
    return readJson<T>(response);
  }

  async #send(url: string, init: RequestInit, token: string | null, hasBody = false): Promise<Response> {
    const headers = new Headers({ Accept: "application/json" });
    if (hasBody) headers.set("Content-Type", "application/json");
    if (token !== null) headers.set("Authorization", `Bearer ${token}`);
    try {
      return await this.#fetch(url, { ...init, headers, credentials: "include" });
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") throw error;
      if (isApiError(error)) throw error;
      throw networkError();
    }
  }

  #notifyExpired(): void {
    this.#accessToken = null;
    for (const listener of this.#expiredListeners) listener();
  }
}

async function readJson<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (text === "") return undefined as T;
  return JSON.parse(text) as T;
}
