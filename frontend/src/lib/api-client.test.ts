import { describe, expect, it, vi } from "vitest";
import { makeTokens, makeUser } from "@/test/builders";
import { createFakeFetch, emptyResponse, errorResponse, jsonResponse } from "@/test/fake-fetch";
import { ApiClient } from "./api-client";
import { ApiError } from "./api-error";

const me = makeUser();

function signedInClient(routes: Parameters<typeof createFakeFetch>[0], baseUrl = "") {
  const fake = createFakeFetch(routes);
  const client = new ApiClient({ baseUrl, fetch: fake.fetch });
  client.startSession(makeTokens(me, "old-token"));
  return { fake, client };
}

describe("ApiClient", () => {
  it("sends the bearer token, the cookie and a JSON body", async () => {
    const { fake, client } = signedInClient({
      "PUT /api/v1/settings/deployment-patterns": () => jsonResponse(200, { patterns: ["ship"] }),
    });

    const result = await client.request<{ patterns: string[] }>("/api/v1/settings/deployment-patterns", {
      method: "PUT",
      body: { patterns: ["ship"] },
    });

    expect(result).toEqual({ patterns: ["ship"] });
    const [call] = fake.calls;
    expect(call?.headers.get("Authorization")).toBe("Bearer old-token");
    expect(call?.headers.get("Content-Type")).toBe("application/json");
    expect(call?.credentials).toBe("include");
    expect(call?.body).toEqual({ patterns: ["ship"] });
  });

  it("prefixes the base URL and encodes query parameters", async () => {
    const { fake, client } = signedInClient(
      { "GET /api/v1/audit": () => jsonResponse(200, { items: [] }) },
      "https://api.example.com/",
    );

    await client.request("/api/v1/audit", { query: { page: 2, page_size: 50, skipped: undefined } });

    expect(fake.fetch).toHaveBeenCalledWith(
      "https://api.example.com/api/v1/audit?page=2&page_size=50",
      expect.anything(),
    );
  });

  it("refreshes the access token on a 401 and retries the request once", async () => {
    const { fake, client } = signedInClient({
      "GET /api/v1/auth/me": (call) =>
        call.headers.get("Authorization") === "Bearer new-token"
          ? jsonResponse(200, me)
          : errorResponse(401, "token_expired", "Your session has expired."),
      "POST /api/v1/auth/refresh": () => jsonResponse(200, makeTokens(me, "new-token")),
    });

    const user = await client.request("/api/v1/auth/me");

    expect(user).toEqual(me);
    expect(fake.calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      "GET /api/v1/auth/me",
      "POST /api/v1/auth/refresh",
      "GET /api/v1/auth/me",
    ]);
    expect(fake.callsTo("POST", "/api/v1/auth/refresh")[0]?.credentials).toBe("include");
    expect(client.accessToken).toBe("new-token");
  });

  it("shares one refresh between requests that fail at the same time", async () => {
    const { fake, client } = signedInClient({
      "GET /api/v1/status": (call) =>
        call.headers.get("Authorization") === "Bearer new-token"
          ? jsonResponse(200, { ok: true })
          : errorResponse(401, "token_expired", "Expired."),
      "POST /api/v1/auth/refresh": () => jsonResponse(200, makeTokens(me, "new-token")),
    });

    await Promise.all([client.request("/api/v1/status"), client.request("/api/v1/status")]);

    expect(fake.callsTo("POST", "/api/v1/auth/refresh")).toHaveLength(1);
  });

  it("reports an expired session when the refresh is refused", async () => {
    const { fake, client } = signedInClient({
      "GET /api/v1/users": () => errorResponse(401, "token_expired", "Your session has expired."),
      "POST /api/v1/auth/refresh": () => errorResponse(401, "invalid_refresh_token", "Sign in again."),
    });
    const expired = vi.fn();
    client.onSessionExpired(expired);

    await expect(client.request("/api/v1/users")).rejects.toMatchObject({ status: 401, code: "token_expired" });

    expect(expired).toHaveBeenCalledTimes(1);
    expect(client.hasSession).toBe(false);
    expect(fake.callsTo("GET", "/api/v1/users")).toHaveLength(1);
  });

  it("retries only once when the new token is refused too", async () => {
    const { fake, client } = signedInClient({
      "GET /api/v1/settings": () => errorResponse(401, "token_expired", "Expired."),
      "POST /api/v1/auth/refresh": () => jsonResponse(200, makeTokens(me, "new-token")),
    });

    await expect(client.request("/api/v1/settings")).rejects.toBeInstanceOf(ApiError);

    expect(fake.callsTo("GET", "/api/v1/settings")).toHaveLength(2);
    expect(fake.callsTo("POST", "/api/v1/auth/refresh")).toHaveLength(1);
  });

  it("does not refresh for a wrong password", async () => {
    const { fake, client } = signedInClient({
      "POST /api/v1/auth/password": () => errorResponse(401, "invalid_credentials", "Incorrect password."),
    });

    await expect(
      client.request("/api/v1/auth/password", { method: "POST", body: { current_password: "x", new_password: "y" } }),
    ).rejects.toMatchObject({ code: "invalid_credentials", message: "Incorrect password." });

    expect(fake.callsTo("POST", "/api/v1/auth/refresh")).toHaveLength(0);
    expect(client.hasSession).toBe(true);
  });

  it("neither sends a token nor refreshes on public routes", async () => {
    const { fake, client } = signedInClient({
      "POST /api/v1/auth/login": () => errorResponse(401, "invalid_credentials", "Incorrect email or password."),
    });

    await expect(
      client.request("/api/v1/auth/login", { method: "POST", body: { email: "a@b.c", password: "p" }, auth: false }),
    ).rejects.toMatchObject({ message: "Incorrect email or password." });

    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]?.headers.has("Authorization")).toBe(false);
  });

  it("parses the error shape with its request id and validation details", async () => {
    const { client } = signedInClient({
      "POST /api/v1/users": () =>
        errorResponse(422, "validation_error", "The request is not valid.", {
          requestId: "7d4c1f1e-aaaa-4bbb-8ccc-000000000001",
          details: [{ loc: ["body", "password"], msg: "This password is too common." }],
        }),
    });

    const error = await client.request("/api/v1/users", { method: "POST", body: {} }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 422,
      code: "validation_error",
      message: "The request is not valid.",
      requestId: "7d4c1f1e-aaaa-4bbb-8ccc-000000000001",
      details: [{ loc: ["body", "password"], msg: "This password is too common." }],
    });
  });

  it("reads Retry-After from a 429", async () => {
    const { client } = signedInClient({
      "POST /api/v1/auth/login": () =>
        errorResponse(429, "too_many_attempts", "Too many attempts.", { headers: { "Retry-After": "30" } }),
    });

    await expect(client.request("/api/v1/auth/login", { method: "POST", auth: false })).rejects.toMatchObject({
      status: 429,
      retryAfterSeconds: 30,
    });
  });

  it("describes an error that is not in the API's shape", async () => {
    const { client } = signedInClient({
      "GET /api/v1/status": () => new Response("<html>Bad gateway</html>", { status: 502 }),
    });

    await expect(client.request("/api/v1/status")).rejects.toMatchObject({
      status: 502,
      code: "http_502",
      message: "The server had a problem (status 502). Try again later.",
    });
  });

  it("turns a failed connection into a network error", async () => {
    const client = new ApiClient({ fetch: () => Promise.reject(new TypeError("Failed to fetch")) });

    await expect(client.request("/api/v1/status")).rejects.toMatchObject({
      status: 0,
      code: "network_error",
      message: "Cannot reach the server. Check your connection and try again.",
    });
  });

  it("resolves to undefined for 204 No Content", async () => {
    const { client } = signedInClient({ "POST /api/v1/auth/logout": () => emptyResponse(204) });

    await expect(client.request("/api/v1/auth/logout", { method: "POST" })).resolves.toBeUndefined();
  });

  it("restores a session from the refresh cookie", async () => {
    const fake = createFakeFetch({ "POST /api/v1/auth/refresh": () => jsonResponse(200, makeTokens(me, "restored")) });
    const client = new ApiClient({ fetch: fake.fetch });

    const tokens = await client.refreshSession();

    expect(tokens?.user).toEqual(me);
    expect(client.accessToken).toBe("restored");
  });

  it("restores nothing when there is no session cookie", async () => {
    const fake = createFakeFetch({
      "POST /api/v1/auth/refresh": () => errorResponse(401, "not_authenticated", "No session."),
    });
    const client = new ApiClient({ fetch: fake.fetch });

    await expect(client.refreshSession()).resolves.toBeNull();
    expect(client.hasSession).toBe(false);
  });
});
