// The settings API's shapes, from the generated OpenAPI types.
import type { Schemas } from "@/api/models";

export type Settings = Schemas["SettingsOut"];
export type SourceSettingsMap = Schemas["SourcesOut"];
export type SourceName = keyof SourceSettingsMap;
export type Secret = Schemas["SecretOut"];
export type DeploymentPatterns = Schemas["DeploymentPatterns"];
export type IncidentPatterns = Schemas["IncidentPatterns"];
export type GithubOAuthStart = Schemas["OAuthStart"];
export type ConnectionTestResult = Schemas["ConnectionCheckOut"];

/**
 * Body of PUT /settings/sources/{source}: the union of the sources' update models. A secret
 * field is a string to set it, null to clear it, or absent to keep it unchanged.
 */
export type SourceUpdate = Record<string, string | string[] | number | null>;
