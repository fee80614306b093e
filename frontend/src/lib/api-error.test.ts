import { describe, expect, it } from "vitest";
import { ApiError, errorMessage, parseRetryAfter } from "./api-error";

describe("errorMessage", () => {
  it("shows the server's message", () => {
    const error = new ApiError({ status: 409, code: "conflict", message: "A user with this email already exists." });
    expect(errorMessage(error)).toBe("A user with this email already exists.");
  });

  it("tells how long to wait after too many attempts", () => {
    const error = new ApiError({
      status: 429,
      code: "too_many_attempts",
      message: "Slow down.",
      retryAfterSeconds: 30,
    });
    expect(errorMessage(error)).toBe("Too many attempts. Try again in 30 seconds.");
  });

  it("uses the singular for one second", () => {
    const error = new ApiError({ status: 429, code: "too_many_attempts", message: "Slow down.", retryAfterSeconds: 1 });
    expect(errorMessage(error)).toBe("Too many attempts. Try again in 1 second.");
  });

  it("has a generic sentence for unexpected errors", () => {
    expect(errorMessage(new Error("boom"))).toBe("Something went wrong. Try again.");
  });
});

describe("parseRetryAfter", () => {
  it.each([
    ["30", 30],
    [" 5 ", 5],
    ["", null],
    ["soon", null],
  ])("reads %j as %j", (header, expected) => {
    expect(parseRetryAfter(header)).toBe(expected);
  });

  it("reads an HTTP date", () => {
    const now = new Date("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:01:00 GMT", now)).toBe(60);
  });

  it("reads a missing header as null", () => {
    expect(parseRetryAfter(null)).toBeNull();
  });
});
