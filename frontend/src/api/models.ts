// Named shapes of the API, taken from the generated OpenAPI types (schema.d.ts).
import type { components } from "./schema";

export type Schemas = components["schemas"];
export type MetricOut = Schemas["MetricOut"];
export type PointOut = Schemas["PointOut"];

// Shapes the shared client and several features use.
export type User = Schemas["UserOut"];
export type Role = Schemas["UserRole"];
export type TokenResponse = Schemas["TokenResponse"];
export type ErrorResponse = Schemas["ErrorResponse"];
