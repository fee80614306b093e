// The status API's shapes, from the generated OpenAPI types.
import type { Schemas } from "@/api/models";

export type SystemStatus = Schemas["Status"];
export type SourceStatus = Schemas["SourceState"];
export type JobStatus = Schemas["JobStatus"];
