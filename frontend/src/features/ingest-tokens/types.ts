// Types of the ingest-token settings API (/api/v1/settings/ingest-tokens).
// They belong with the other API types in src/api/types.ts once that file is generated
// from the backend's OpenAPI document.

export type IngestTokenStatus = "active" | "expired" | "revoked";

export interface IngestToken {
  id: number;
  name: string;
  /** The token's first characters, e.g. "vlc_ing_Ab3d": enough to recognise it. */
  prefix: string;
  status: IngestTokenStatus;
  created_at: string;
  created_by: string | null;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** The answer to a create: the only time the token itself is sent. */
export interface IngestTokenCreated extends IngestToken {
  token: string;
}

export interface IngestTokenList {
  items: IngestToken[];
}

export interface IngestTokenCreate {
  name: string;
  expires_in_days?: number;
}
