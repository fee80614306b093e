import { describe, expect, it } from "vitest";
import { runDuration, runErrorWords, runProgress, statusWords } from "./describe";
import type { SyncRun } from "./types";

function run(overrides: Partial<SyncRun> = {}): SyncRun {
  return {
    id: 1,
    source: "github",
    job: "github",
    trigger: "api",
    status: "running",
    requested_by: "lead@example.com",
    created_at: "2025-03-10T10:00:00Z",
    started_at: "2025-03-10T10:00:00Z",
    finished_at: null,
    current_stream: "pull_requests",
    items: 10,
    requests_used: 2,
    rate_limit_remaining: null,
    rate_limit_reset_at: null,
    streams: [],
    error: null,
    ...overrides,
  };
}

describe("sync run descriptions", () => {
  it("counts the streams done", () => {
    const progress = runProgress(
      run({
        streams: [
          { name: "repositories", items: 3, requests: 1, done: true },
          { name: "pull_requests", items: 7, requests: 1, done: false },
        ],
      }),
    );
    expect(progress).toEqual({ done: 1, total: 2 });
  });

  it("has no progress before the streams are known", () => {
    expect(runProgress(run())).toBeNull();
  });

  it("measures a running run up to now", () => {
    expect(runDuration(run(), new Date("2025-03-10T10:03:20Z"))).toBe("3 min 20 s");
  });

  it("puts the server's message first", () => {
    const words = runErrorWords(
      run({
        status: "failed",
        error: { code: "bad_credentials", message: "GitHub rejected the token (401).", resets_at: null },
      }),
    );
    expect(words).toBe("GitHub rejected the token (401).");
  });

  it("speaks of a used-up budget in words", () => {
    expect(statusWords("budget_exhausted")).toBe("Paused: API budget used up");
  });
});
