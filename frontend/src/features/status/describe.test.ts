import { describe, expect, it } from "vitest";
import { credentialsWords, jobInterval, jobOutcome, notSyncedYet } from "./describe";
import type { JobStatus, SourceStatus } from "./types";

function makeJob(overrides: Partial<JobStatus> = {}): JobStatus {
  return {
    name: "github",
    interval_seconds: 300,
    first_run_after_seconds: 0,
    registered: true,
    running_here: false,
    last_slot_at: null,
    last_started_at: null,
    last_finished_at: null,
    last_status: null,
    last_error: null,
    last_owner: null,
    next_run_at: null,
    ...overrides,
  };
}

function makeSource(overrides: Partial<SourceStatus> = {}): SourceStatus {
  return { source: "linear", syncs: false, configured: true, last_sync_at: null, last_error: null, ...overrides };
}

describe("job outcome", () => {
  it("says a job without a connector is not scheduled, naming the source", () => {
    expect(jobOutcome(makeJob({ name: "linear", registered: false }))).toEqual({
      words: "Not scheduled: Veelocity does not sync Linear yet",
      tone: "neutral",
    });
  });

  it("gives a failed run's error", () => {
    expect(jobOutcome(makeJob({ last_status: "failed", last_error: "GitHub refused the token" }))).toEqual({
      words: "Failed: GitHub refused the token",
      tone: "bad",
    });
  });

  it("says a skipped slot's source is not set up", () => {
    expect(jobOutcome(makeJob({ last_status: "skipped" })).words).toBe("Skipped: its source is not set up");
  });

  it("says a job that never ran has not run yet", () => {
    expect(jobOutcome(makeJob()).words).toBe("Not run yet");
  });

  it("reads the interval in words", () => {
    expect(jobInterval(makeJob({ interval_seconds: 600 }))).toBe("Every 10 min");
  });
});

describe("source words", () => {
  it("says a saved key of a source nothing reads is only saved", () => {
    const source = makeSource();
    expect(credentialsWords(source)).toBe("Saved");
    expect(notSyncedYet(source)).toBe("Not synced yet: Veelocity does not read Linear yet");
  });

  it("says configured only of a source that syncs", () => {
    expect(credentialsWords(makeSource({ source: "github", syncs: true }))).toBe("Configured");
    expect(credentialsWords(makeSource({ source: "github", syncs: true, configured: false }))).toBe("Not configured");
  });
});
