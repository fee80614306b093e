import { Alert } from "@/components/ui/alert";

/** The privacy floor: the API gave no figure for this group, and says why. */
export function Withheld({ reason, what = "These figures" }: { reason: string; what?: string }) {
  return (
    <Alert variant="info" role="note" title="Withheld for privacy">
      {what} would describe {reason}, so Veelocity does not show them. Widen the scope (team or repositories) to see
      them.
    </Alert>
  );
}
