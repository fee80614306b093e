import { describe, expect, it } from "vitest";
import { makeSettings } from "@/test/builders";
import { buildSourceUpdate, initialValues, sourceForms, type SourceFormSpec } from "./source-forms";

function specFor(source: string): SourceFormSpec {
  const spec = sourceForms.find((item) => item.source === source);
  if (!spec) throw new Error(`No form for ${source}`);
  return spec;
}

describe("buildSourceUpdate", () => {
  const github = specFor("github");

  it("leaves out a secret left empty so the stored one is kept", () => {
    const update = buildSourceUpdate(github, {
      token: "",
      organizations: "acme, acme-labs",
      repositories: "",
      api_base_url: "https://api.github.com",
    });

    expect(update).toEqual({
      organizations: ["acme", "acme-labs"],
      repositories: [],
      api_base_url: "https://api.github.com",
    });
    expect(update).not.toHaveProperty("token");
  });

  it("sends a typed secret", () => {
    expect(buildSourceUpdate(specFor("linear"), { api_key: "  lin_api_123  " })).toEqual({ api_key: "lin_api_123" });
  });

  it("sends null for a secret marked for clearing", () => {
    expect(buildSourceUpdate(specFor("linear"), { api_key: "" }, new Set(["api_key"]))).toEqual({ api_key: null });
  });

  it("sends Cursor's days of history as a number, and shows the stored one", () => {
    const cursor = specFor("cursor");
    expect(
      buildSourceUpdate(cursor, { api_key: "", base_url: "https://api.cursor.com", history_days: " 30 " }),
    ).toEqual({
      base_url: "https://api.cursor.com",
      history_days: 30,
    });
    expect(buildSourceUpdate(cursor, { api_key: "", base_url: "", history_days: "" })).toEqual({});
    expect(initialValues(cursor, makeSettings().sources.cursor)).toMatchObject({ history_days: "90" });
  });

  it("sends an empty optional text field as null", () => {
    expect(
      buildSourceUpdate(specFor("sentry"), { token: "", organization: " ", base_url: "https://sentry.io" }),
    ).toEqual({
      organization: null,
      base_url: "https://sentry.io",
    });
  });
});

describe("initialValues", () => {
  it("fills lists and text from the settings but never secrets", () => {
    expect(initialValues(specFor("github"), makeSettings().sources.github)).toEqual({
      token: "",
      organizations: "acme",
      repositories: "acme/api",
      api_base_url: "https://api.github.com",
    });
  });
});
