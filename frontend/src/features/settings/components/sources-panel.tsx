import { Alert, ErrorAlert } from "@/components/ui/alert";
import { LoadingBlock } from "@/components/ui/skeleton";
import { useSettings } from "../api";
import { sourceForms } from "../source-forms";
import { ConnectGithubButton, GithubOAuthOutcome } from "./connect-github";
import { SourceForm } from "./source-form";

export function SourcesPanel({ readOnly }: { readOnly: boolean }) {
  const settings = useSettings();

  return (
    <div className="stack">
      <div>
        <h2>Sources</h2>
        <p className="muted">
          Connect the tools Veelocity reads from. Stored secrets are never shown again, only their last four characters.
        </p>
      </div>
      <GithubOAuthOutcome />
      {settings.isPending ? <LoadingBlock label="Loading sources…" lines={6} /> : null}
      {settings.isError ? (
        <ErrorAlert error={settings.error} title="Cannot load the settings" onRetry={() => void settings.refetch()} />
      ) : null}
      {settings.data ? (
        <>
          {settings.data.encryption_available ? null : (
            <Alert variant="warning" role="note" title="Secrets cannot be saved">
              The server has no encryption key, so tokens and API keys cannot be stored. Set one in the server
              configuration and restart it; the other fields can still be saved.
            </Alert>
          )}
          {sourceForms.map((spec) => (
            <SourceForm
              key={spec.source}
              spec={spec}
              settings={settings.data.sources[spec.source]}
              readOnly={readOnly}
              encryptionAvailable={settings.data.encryption_available}
              syncs={settings.data.synced_sources.includes(spec.source)}
              actions={
                spec.source === "github" && settings.data.oauth_available && !readOnly ? (
                  <ConnectGithubButton />
                ) : undefined
              }
            />
          ))}
        </>
      ) : null}
    </div>
  );
}
