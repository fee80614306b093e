// Named shapes of the API, taken from the generated OpenAPI types (schema.d.ts).
import type { components } from "./schema";

export type Schemas = components["schemas"];
export type MetricOut = Schemas["MetricOut"];
export type PointOut = Schemas["PointOut"];
