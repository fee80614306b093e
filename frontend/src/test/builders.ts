import type { TokenResponse, User } from "@/api/models";
import type { Settings } from "@/features/settings/types";
import type { SystemStatus } from "@/features/status/types";

export function makeUser(overrides: Partial<User> = {}): User {
  return {
    id: 1,
    email: "admin@example.com",
    role: "admin",
    is_active: true,
    created_at: "2025-01-15T09:30:00Z",
    ...overrides,
  };
}

export function makeTokens(user: User = makeUser(), accessToken = "access-1"): TokenResponse {
  return { access_token: accessToken, token_type: "bearer", expires_in: 900, user };
}

export function makeSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    encryption_available: true,
    oauth_available: false,
    deployment_patterns: ["deploy", "release"],
    incident_patterns: ["incident"],
    unreadable_secrets: 0,
    synced_sources: ["github"],
    sources: {
      github: {
        token: { configured: true, last4: "abcd" },
        organizations: ["acme"],
        repositories: ["acme/api"],
        api_base_url: "https://api.github.com",
      },
      linear: { api_key: { configured: false, last4: null }, api_url: "https://api.linear.app/graphql" },
      sentry: { token: { configured: false, last4: null }, organization: null, base_url: "https://sentry.io" },
      cursor: { api_key: { configured: false, last4: null }, base_url: "https://api.cursor.com", history_days: 90 },
      greptile: {
        api_key: { configured: true, last4: "9xyz" },
        github_token: { configured: false, last4: null },
        base_url: "https://api.greptile.com",
      },
    },
    ...overrides,
  };
}

export function makeSystemStatus(overrides: Partial<SystemStatus> = {}): SystemStatus {
  return {
    version: "1.2.3",
    uptime_seconds: 3_700,
    database: {
      dialect: "sqlite",
      reachable: true,
      migration: { current: "0003", head: "0003", up_to_date: true },
    },
    unreadable_secrets: 0,
    sources: [{ source: "github", syncs: true, configured: true, last_sync_at: null, last_error: null }],
    scheduler: { running: true, jobs: [] },
    ...overrides,
  };
}
