/**
 * The deployment open in the drawer lives in the URL (?deployment=12), so a failure reason such
 * as "rolled back by deployment 12" is a plain link, and a drawer can be shared.
 */

export const DEPLOYMENT_PARAM = "deployment";

/** The deployment id in the search parameters, or null when none (or not an id). */
export function readDeploymentParam(params: URLSearchParams): number | null {
  const text = params.get(DEPLOYMENT_PARAM);
  if (text === null || !/^\d{1,18}$/.test(text)) return null;
  const id = Number.parseInt(text, 10);
  return id > 0 && Number.isSafeInteger(id) ? id : null;
}

/** The search string with deployment ID open (null: closed), every other parameter kept. */
export function withDeployment(search: string, id: number | null): string {
  const params = new URLSearchParams(search);
  if (id === null) params.delete(DEPLOYMENT_PARAM);
  else params.set(DEPLOYMENT_PARAM, String(id));
  const text = params.toString();
  return text ? `?${text}` : "";
}
