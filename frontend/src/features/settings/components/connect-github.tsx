import { useSearchParams } from "react-router-dom";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useStartGithubOAuth } from "../api";

/** Sends the browser to GitHub; the server stores the token and brings the browser back. */
export function ConnectGithubButton({ navigate = (url: string) => window.location.assign(url) }) {
  const start = useStartGithubOAuth();
  return (
    <div className="stack">
      <Button
        variant="secondary"
        busy={start.isPending}
        onClick={() => start.mutate(undefined, { onSuccess: ({ authorize_url }) => navigate(authorize_url) })}
      >
        Connect with GitHub
      </Button>
      {start.isError ? <ErrorAlert error={start.error} /> : null}
    </div>
  );
}

const failures: Record<string, string> = {
  denied: "GitHub access was not granted.",
  state: "The sign-in with GitHub could not be verified. Start again from this page.",
  session: "Your session ended before GitHub answered. Sign in and start again.",
  exchange: "GitHub did not confirm the sign-in. Try again, or enter a token instead.",
  not_configured: "Connect with GitHub is not configured on this server.",
};

/** The outcome the server reports in the URL after Connect with GitHub. */
export function GithubOAuthOutcome() {
  const [params] = useSearchParams();
  const outcome = params.get("github_oauth");
  if (outcome === "connected") {
    return (
      <Alert variant="success" title="GitHub is connected">
        The token GitHub issued is stored encrypted as the GitHub token.
      </Alert>
    );
  }
  if (outcome === "error") {
    const reason = params.get("reason") ?? "";
    return (
      <Alert variant="error" title="GitHub is not connected">
        {failures[reason] ?? "Connect with GitHub did not finish. Try again."}
      </Alert>
    );
  }
  return null;
}
