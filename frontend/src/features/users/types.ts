// The users API's shapes, from the generated OpenAPI types.
import type { Schemas } from "@/api/models";

export type { Role, User } from "@/api/models";
export type UserList = Schemas["UserList"];
export type UserCreate = Schemas["NewUser"];
export type UserUpdate = Schemas["UserChange"];
