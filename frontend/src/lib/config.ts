/** Origin of the API; empty when the API is served from the same origin as the app. */
export const apiBaseUrl: string = (import.meta.env.VITE_API_BASE_URL ?? "").replace(/\/+$/, "");
