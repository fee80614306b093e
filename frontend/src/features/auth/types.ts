// The auth API's shapes, from the generated OpenAPI types.
import type { Schemas } from "@/api/models";

export type { TokenResponse, User } from "@/api/models";
export type SetupStatus = Schemas["SetupStatus"];
export type Credentials = Schemas["Credentials"];
export type PasswordChange = Schemas["PasswordChange"];
