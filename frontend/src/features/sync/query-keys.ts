export const syncKeys = {
  all: ["sync"] as const,
  status: () => [...syncKeys.all, "status"] as const,
  runs: (source: string | null, page: number) => [...syncKeys.all, "runs", source, page] as const,
};
