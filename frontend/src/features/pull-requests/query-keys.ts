export const pullRequestKeys = {
  all: ["pull-requests"] as const,
  list: (query: Record<string, unknown>) => [...pullRequestKeys.all, "list", query] as const,
  detail: (id: number) => [...pullRequestKeys.all, "detail", id] as const,
};
