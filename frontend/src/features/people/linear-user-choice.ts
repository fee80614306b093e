import type { LinearUser, LinearUserChoice } from "./api";

/** The select's value for what is recorded now: a chosen developer, nobody, or the e-mail match. */
export function choiceValue(user: LinearUser): string {
  if (user.matched_by !== "chosen") return "email";
  return user.developer ? String(user.developer.id) : "none";
}

/** The choice a select value stands for. */
export function readChoice(value: string): LinearUserChoice {
  if (value === "email") return "email";
  if (value === "none") return null;
  return Number(value);
}

/** How the developer was found, in words. */
export function matchDescription(user: LinearUser): string {
  if (user.matched_by === "chosen") return user.developer ? "Chosen by an admin" : "Chosen: not a developer";
  if (user.matched_by === "email") return "Same e-mail";
  return user.email ? "No developer has this e-mail" : "Linear gives no e-mail";
}

export function developerLabel(developer: { login: string; name: string | null }): string {
  return developer.name ? `${developer.name} (${developer.login})` : developer.login;
}
