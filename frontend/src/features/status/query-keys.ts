export const statusKeys = {
  all: ["status"] as const,
  detail: () => [...statusKeys.all, "detail"] as const,
};
