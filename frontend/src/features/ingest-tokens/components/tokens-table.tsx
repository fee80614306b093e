import { useState } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LoadingBlock } from "@/components/ui/skeleton";
import { formatDateTime } from "@/lib/format";
import { useIngestTokens, useRevokeIngestToken } from "../api";
import type { IngestToken, IngestTokenStatus } from "../types";

const statusBadge: Record<IngestTokenStatus, { label: string; className: string }> = {
  active: { label: "Active", className: "badge badge-ok" },
  expired: { label: "Expired", className: "badge" },
  revoked: { label: "Revoked", className: "badge badge-bad" },
};

function RevokeAction({ token }: { token: IngestToken }) {
  const [confirming, setConfirming] = useState(false);
  const revoke = useRevokeIngestToken();
  if (token.status === "revoked") return null;
  if (!confirming) {
    return (
      <Button size="sm" variant="danger" onClick={() => setConfirming(true)}>
        Revoke <span className="visually-hidden">{token.name}</span>
      </Button>
    );
  }
  return (
    <div className="row-actions">
      <Button size="sm" variant="danger" busy={revoke.isPending} onClick={() => revoke.mutate(token.id)}>
        Yes, revoke <span className="visually-hidden">{token.name}</span>
      </Button>
      <Button size="sm" onClick={() => setConfirming(false)}>
        Cancel
      </Button>
      {revoke.isError ? <ErrorAlert error={revoke.error} /> : null}
    </div>
  );
}

export function TokensTable() {
  const tokens = useIngestTokens();

  return (
    <Card title="Tokens" headingLevel={3} description="Revoked tokens stay listed so you can see when they stopped.">
      {tokens.isPending ? <LoadingBlock label="Loading ingest tokens…" /> : null}
      {tokens.isError ? (
        <ErrorAlert error={tokens.error} title="Cannot load the ingest tokens" onRetry={() => void tokens.refetch()} />
      ) : null}
      {tokens.data && tokens.data.items.length === 0 ? <p className="muted">No ingest tokens yet.</p> : null}
      {tokens.data && tokens.data.items.length > 0 ? (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Token</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.items.map((token) => {
                const badge = statusBadge[token.status];
                return (
                  <tr key={token.id}>
                    <th scope="row" className="cell-strong">
                      {token.name}
                    </th>
                    <td className="cell-nowrap">
                      <code>{token.prefix}…</code>
                    </td>
                    <td>
                      <span className={badge.className}>{badge.label}</span>
                    </td>
                    <td>
                      {formatDateTime(token.created_at)}
                      {token.created_by ? <span className="muted small"> by {token.created_by}</span> : null}
                    </td>
                    <td>{token.expires_at ? formatDateTime(token.expires_at) : "Never"}</td>
                    <td>{token.last_used_at ? formatDateTime(token.last_used_at) : "Never used"}</td>
                    <td className="cell-actions">
                      <RevokeAction token={token} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </Card>
  );
}
