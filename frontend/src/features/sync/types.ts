// The sync API's shapes, from the generated OpenAPI types.
import type { Schemas } from "@/api/models";

export type SyncRun = Schemas["SyncRunOut"];
export type SyncStatusName = SyncRun["status"];
export type SyncStream = Schemas["StreamProgressOut"];
export type SyncRunError = Schemas["RunErrorOut"];
export type SourceSyncStatus = Schemas["SourceSyncOut"];
export type SyncStatus = Schemas["SyncStatusOut"];
export type SyncRunPage = Schemas["RunPageOut"];
