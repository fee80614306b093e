// Types of the Veelocity HTTP API (prefix /api/v1), written by hand for now.
// Keep every API type in this one file: it will be replaced by types generated
// from the backend's OpenAPI document.

export type Role = "admin" | "viewer";

export interface User {
  id: number;
  email: string;
  role: Role;
  is_active: boolean;
  created_at: string;
}

export interface ErrorDetail {
  loc: (string | number)[];
  msg: string;
}

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    request_id: string;
    details?: ErrorDetail[];
  };
}

// --- auth ---

export interface SetupStatus {
  needs_setup: boolean;
}

export interface Credentials {
  email: string;
  password: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
  user: User;
}

export interface PasswordChange {
  current_password: string;
  new_password: string;
}

// --- users ---

export interface UserList {
  items: User[];
}

export interface UserCreate {
  email: string;
  password: string;
  role: Role;
}

export interface UserUpdate {
  role?: Role;
  is_active?: boolean;
}

// --- settings ---

export interface Secret {
  configured: boolean;
  last4: string | null;
}

export interface GithubSettings {
  token: Secret;
  organizations: string[];
  repositories: string[];
  api_base_url: string;
}

export interface LinearSettings {
  api_key: Secret;
}

export interface SentrySettings {
  token: Secret;
  organization: string | null;
  base_url: string;
}

export interface CursorSettings {
  api_key: Secret;
}

export interface GreptileSettings {
  api_key: Secret;
  github_token: Secret;
}

export interface SourceSettingsMap {
  github: GithubSettings;
  linear: LinearSettings;
  sentry: SentrySettings;
  cursor: CursorSettings;
  greptile: GreptileSettings;
}

export type SourceName = keyof SourceSettingsMap;

export interface Settings {
  encryption_available: boolean;
  /** "Connect with GitHub" is configured on the server. */
  oauth_available: boolean;
  deployment_patterns: string[];
  /** Issue and pull request labels that mark an incident. */
  incident_patterns: string[];
  sources: SourceSettingsMap;
}

/**
 * Body of PUT /settings/sources/{source}. A secret field is a string to set it,
 * null to clear it, or absent to keep it unchanged.
 */
export type SourceUpdate = Record<string, string | string[] | null>;

export interface GithubOAuthStart {
  authorize_url: string;
}

export interface DeploymentPatterns {
  patterns: string[];
}

export interface IncidentPatterns {
  patterns: string[];
}

// --- audit ---

export interface AuditEntry {
  id: number;
  at: string;
  actor_email: string | null;
  action: string;
  client_address: string;
  target: string | null;
  details: Record<string, unknown>;
}

export interface AuditPage {
  items: AuditEntry[];
  page: number;
  page_size: number;
  total: number;
}

// --- status ---

export interface MigrationStatus {
  current: string | null;
  head: string | null;
  up_to_date: boolean;
}

export interface DatabaseStatus {
  dialect: string;
  reachable: boolean;
  migration: MigrationStatus;
}

export interface SourceStatus {
  source: string;
  configured: boolean;
  last_sync_at: string | null;
  last_error: string | null;
}

export interface SystemStatus {
  version: string;
  uptime_seconds: number;
  database: DatabaseStatus;
  sources: SourceStatus[];
  scheduler: Record<string, unknown>;
}
