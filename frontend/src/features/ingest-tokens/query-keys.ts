export const ingestTokensKeys = {
  all: ["ingest-tokens"] as const,
  list: () => [...ingestTokensKeys.all, "list"] as const,
};
