import type { Secret, SourceName, SourceSettingsMap, SourceUpdate } from "./types";
import { formatList, parseList } from "@/lib/format";

export type SourceFieldKind = "secret" | "list" | "text" | "number";

export interface SourceFieldSpec {
  /** The field's name in the API. */
  key: string;
  label: string;
  kind: SourceFieldKind;
  hint?: string;
  placeholder?: string;
  /** For text fields: an empty input is sent as null (otherwise it is left out). */
  nullable?: boolean;
  inputType?: "text" | "url" | "number";
}

export interface SourceFormSpec {
  source: SourceName;
  title: string;
  description: string;
  fields: readonly SourceFieldSpec[];
}

/** One form per source, in the order they appear on the page. */
export const sourceForms: readonly SourceFormSpec[] = [
  {
    source: "github",
    title: "GitHub",
    description: "Pull requests, reviews and deployments.",
    fields: [
      { key: "token", label: "GitHub token", kind: "secret", hint: "A token that can read the repositories." },
      {
        key: "organizations",
        label: "Organizations",
        kind: "list",
        hint: "Comma-separated, e.g. acme, acme-labs. Every repository of these is included.",
      },
      {
        key: "repositories",
        label: "Repositories",
        kind: "list",
        hint: "Comma-separated owner/name, e.g. acme/api, acme/web.",
      },
      {
        key: "api_base_url",
        label: "API base URL",
        kind: "text",
        inputType: "url",
        hint: "Change it only for GitHub Enterprise Server.",
      },
    ],
  },
  {
    source: "linear",
    title: "Linear",
    description: "Issues, cycles and their links to pull requests, for Planning.",
    fields: [
      { key: "api_key", label: "Linear API key", kind: "secret", hint: "A personal API key (lin_api_…)." },
      {
        key: "api_url",
        label: "Linear API URL",
        kind: "text",
        inputType: "url",
        hint: "Linear's GraphQL endpoint; change it only to point at another Linear-compatible server.",
      },
    ],
  },
  {
    source: "sentry",
    title: "Sentry",
    description:
      "Production errors: issues that cross the thresholds (Settings → Sentry) become incidents that fail the deployment that shipped them.",
    fields: [
      { key: "token", label: "Sentry token", kind: "secret" },
      {
        key: "organization",
        label: "Sentry organization",
        kind: "text",
        nullable: true,
        hint: "The organization slug.",
      },
      {
        key: "base_url",
        label: "Sentry base URL",
        kind: "text",
        inputType: "url",
        hint: "Change it for self-hosted Sentry.",
      },
    ],
  },
  {
    source: "cursor",
    title: "Cursor",
    description: "Cursor usage and the lines its AI wrote, for AI impact.",
    fields: [
      {
        key: "api_key",
        label: "Cursor API key",
        kind: "secret",
        hint: "An Admin API key (key_…) of an Enterprise team, created by a team admin.",
      },
      {
        key: "base_url",
        label: "Cursor API base URL",
        kind: "text",
        inputType: "url",
        hint: "Cursor's API root; change it only to point at another Cursor-compatible server.",
      },
      {
        key: "history_days",
        label: "Days of history",
        kind: "number",
        inputType: "number",
        hint: "Days of usage and AI code tracking the first sync reads (1 to 730).",
      },
    ],
  },
  {
    source: "greptile",
    title: "Greptile",
    description: "Code reviews by Greptile and its repositories' indexing, for AI impact.",
    fields: [
      { key: "api_key", label: "Greptile API key", kind: "secret" },
      {
        key: "github_token",
        label: "Greptile GitHub token",
        kind: "secret",
        hint: "Optional: the GitHub token some Greptile endpoints ask for. The sync does not need it.",
      },
      {
        key: "base_url",
        label: "Greptile API base URL",
        kind: "text",
        inputType: "url",
        hint: "Greptile's API root; change it only to point at another Greptile-compatible server.",
      },
    ],
  },
];

/** What the inputs of a source form hold. Secret inputs start empty. */
export type SourceFormValues = Record<string, string>;

function fieldsOf(settings: SourceSettingsMap[SourceName]): Record<string, unknown> {
  return settings;
}

export function readSecret(settings: SourceSettingsMap[SourceName], key: string): Secret {
  const value = fieldsOf(settings)[key];
  if (typeof value === "object" && value !== null && "configured" in value) {
    const secret = value as Partial<Secret>;
    return { configured: secret.configured === true, last4: typeof secret.last4 === "string" ? secret.last4 : null };
  }
  return { configured: false, last4: null };
}

export function initialValues(spec: SourceFormSpec, settings: SourceSettingsMap[SourceName]): SourceFormValues {
  const fields = fieldsOf(settings);
  const values: SourceFormValues = {};
  for (const field of spec.fields) {
    const value = fields[field.key];
    if (field.kind === "secret") values[field.key] = "";
    else if (field.kind === "list") values[field.key] = Array.isArray(value) ? formatList(value.map(String)) : "";
    else if (field.kind === "number") values[field.key] = typeof value === "number" ? String(value) : "";
    else values[field.key] = typeof value === "string" ? value : "";
  }
  return values;
}

/**
 * The PUT body for a source form. A secret left empty is omitted, so the
 * stored one is kept; a secret marked for clearing is sent as null.
 */
export function buildSourceUpdate(
  spec: SourceFormSpec,
  values: SourceFormValues,
  secretsToClear: ReadonlySet<string> = new Set(),
): SourceUpdate {
  const update: SourceUpdate = {};
  for (const field of spec.fields) {
    const raw = values[field.key] ?? "";
    if (field.kind === "secret") {
      const secret = raw.trim();
      if (secret !== "") update[field.key] = secret;
      else if (secretsToClear.has(field.key)) update[field.key] = null;
    } else if (field.kind === "list") {
      update[field.key] = parseList(raw);
    } else if (field.kind === "number") {
      // A number the API would refuse is sent as typed, so its message names the field.
      const text = raw.trim();
      if (text !== "") update[field.key] = /^\d+$/.test(text) ? Number(text) : text;
    } else {
      const text = raw.trim();
      if (text !== "") update[field.key] = text;
      else if (field.nullable) update[field.key] = null;
    }
  }
  return update;
}
