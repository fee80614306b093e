import type { IssueLevel, Thresholds } from "./api";

/** Sentry's levels, most severe first. */
export const LEVELS: readonly IssueLevel[] = ["fatal", "error", "warning", "info", "debug"];

/** The defaults of SENTRY_INCIDENT_MIN_EVENTS, _MIN_USERS and _LEVELS. */
export const DEFAULT_THRESHOLDS: Thresholds = { min_events: 100, min_users: 10, levels: ["fatal", "error"] };

export interface ThresholdInputs {
  minEvents: string;
  minUsers: string;
  levels: readonly IssueLevel[];
}

export type ParsedThresholds = { thresholds: Thresholds; problem: null } | { thresholds: null; problem: string };

function count(text: string): number | null {
  if (!/^\s*\d{1,8}\s*$/.test(text)) return null;
  const value = Number.parseInt(text, 10);
  return value >= 1 ? value : null;
}

/** The preview request for what the form holds, or what is wrong with it in words. */
export function parseThresholds(inputs: ThresholdInputs): ParsedThresholds {
  const minEvents = count(inputs.minEvents);
  if (minEvents === null) return { thresholds: null, problem: "Events must be a whole number, 1 or more." };
  const minUsers = count(inputs.minUsers);
  if (minUsers === null) return { thresholds: null, problem: "Users must be a whole number, 1 or more." };
  if (inputs.levels.length === 0) return { thresholds: null, problem: "Choose at least one level." };
  const levels = LEVELS.filter((level) => inputs.levels.includes(level));
  return { thresholds: { min_events: minEvents, min_users: minUsers, levels }, problem: null };
}

/** The environment variables that would set these thresholds for good. */
export function thresholdSettings(thresholds: Thresholds): string {
  return [
    `SENTRY_INCIDENT_MIN_EVENTS=${thresholds.min_events}`,
    `SENTRY_INCIDENT_MIN_USERS=${thresholds.min_users}`,
    `SENTRY_INCIDENT_LEVELS=${thresholds.levels.join(",")}`,
  ].join("\n");
}

/** How a project found its repository, in words. */
export function mappedByLabel(mappedBy: string | null): string {
  switch (mappedBy) {
    case "name":
      return "by name";
    case "release_commits":
      return "by its releases' commits";
    case "chosen":
      return "chosen by an admin";
    default:
      return "not mapped";
  }
}
