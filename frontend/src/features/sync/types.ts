// The sync API's shapes as agreed with the backend; replaced by generated types once the
// routes are in the OpenAPI document.

export type SyncStatusName = "queued" | "running" | "succeeded" | "failed" | "cancelled" | "budget_exhausted";

export interface SyncStream {
  name: string;
  items: number;
  requests: number;
  done: boolean;
}

export interface SyncRunError {
  code: string;
  message: string;
  resets_at: string | null;
}

export interface SyncRun {
  id: number;
  source: string;
  job: string;
  trigger: "schedule" | "api" | "cli" | "startup";
  status: SyncStatusName;
  requested_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  current_stream: string | null;
  items: number;
  requests_used: number;
  rate_limit_remaining: number | null;
  rate_limit_reset_at: string | null;
  streams: SyncStream[];
  error: SyncRunError | null;
}

export interface SourceSyncStatus {
  source: string;
  configured: boolean;
  state: "idle" | "queued" | "running";
  current_run: SyncRun | null;
  last_run: SyncRun | null;
  last_success_at: string | null;
  next_run_at: string | null;
}

export interface SyncStatus {
  demo: boolean;
  sources: SourceSyncStatus[];
}

export interface SyncRunPage {
  items: SyncRun[];
  page: number;
  page_size: number;
  total: number;
}

export interface ConnectionTestResult {
  ok: boolean;
  message: string;
  details: Record<string, unknown>;
}
