import { CreateTokenForm } from "./create-token-form";
import { TokensTable } from "./tokens-table";

/** Settings → Ingest tokens (admins only): tokens for the push-ingest API. */
export function IngestTokensPanel() {
  return (
    <div className="stack">
      <div>
        <h2>Ingest tokens</h2>
        <p className="muted">
          Tools Veelocity does not sync (Jenkins, Argo CD, GitLab…) send their deployments, incidents and pull requests
          to <code>/api/v1/ingest</code> with one of these tokens. Only a digest of each token is stored.
        </p>
      </div>
      <CreateTokenForm />
      <TokensTable />
    </div>
  );
}
