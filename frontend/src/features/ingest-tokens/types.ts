// The ingest-token settings API's shapes (/api/v1/settings/ingest-tokens), from the generated
// OpenAPI types.
import type { Schemas } from "@/api/models";

export type IngestToken = Schemas["IngestTokenOut"];
export type IngestTokenStatus = IngestToken["status"];
/** The answer to a create: the only time the token itself is sent. */
export type IngestTokenCreated = Schemas["IngestTokenCreated"];
export type IngestTokenList = Schemas["IngestTokenList"];
export type IngestTokenCreate = Schemas["NewIngestToken"];
