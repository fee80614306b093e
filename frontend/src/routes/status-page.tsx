import { StatusOverview } from "@/features/status/components/status-overview";
import { usePageTitle } from "./use-page-title";

export function StatusPage() {
  usePageTitle("Status");
  return (
    <>
      <h1>Status</h1>
      <StatusOverview />
    </>
  );
}
