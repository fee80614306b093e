import type { TokenResponse, User } from "@/api/models";
import type { Settings } from "@/features/settings/types";

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
      linear: { api_key: { configured: false, last4: null } },
      sentry: { token: { configured: false, last4: null }, organization: null, base_url: "https://sentry.io" },
      cursor: { api_key: { configured: false, last4: null } },
      greptile: {
        api_key: { configured: true, last4: "9xyz" },
        github_token: { configured: false, last4: null },
      },
    },
    ...overrides,
  };
}
