export const filterKeys = {
  all: ["filters"] as const,
  repositories: () => [...filterKeys.all, "repositories"] as const,
  teams: () => [...filterKeys.all, "teams"] as const,
  cycles: () => [...filterKeys.all, "cycles"] as const,
};
