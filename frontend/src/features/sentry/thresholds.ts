import type { IssueLevel, Thresholds } from "./api";

/** Sentry's levels, most severe first. */
export const LEVELS: readonly IssueLevel[] = ["fatal", "error", "warning", "info", "debug"];

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

/** The thresholds in words: "100 events or 10 users in 24 h, at fatal or error". */
export function describeThresholds(thresholds: Thresholds): string {
  return `${thresholds.min_events} events or ${thresholds.min_users} users in 24 h, at ${thresholds.levels.join(" or ")}`;
}

/** Whether two sets of thresholds are the same (levels in any order). */
export function sameThresholds(a: Thresholds, b: Thresholds): boolean {
  return (
    a.min_events === b.min_events &&
    a.min_users === b.min_users &&
    a.levels.length === b.levels.length &&
    a.levels.every((level) => b.levels.includes(level))
  );
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
