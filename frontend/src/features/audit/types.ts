// The audit API's shapes, from the generated OpenAPI types.
import type { Schemas } from "@/api/models";

export type AuditEntry = Schemas["AuditEventOut"];
export type AuditPage = Schemas["AuditPageOut"];
