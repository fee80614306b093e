import type { DeploymentErrors } from "../api";

function formatEvents(value: number): string {
  return Math.round(value).toLocaleString("en");
}

/** "+120 %", "−40 %", or a word when there was nothing before. */
export function changeLabel(before: number, after: number): string {
  if (before === 0) return after === 0 ? "no change" : "new";
  const percent = Math.round(((after - before) / before) * 100);
  if (percent === 0) return "no change";
  return `${percent > 0 ? "+" : "−"}${Math.abs(percent)} %`;
}

/** Error events and new Sentry issues in the 24 h before a deployment against the 24 h after. */
export function ErrorImpact({ errors }: { errors: DeploymentErrors }) {
  if (errors.project_ids.length === 0) {
    return <p className="muted">No Sentry project follows this repository.</p>;
  }
  const { before, after } = errors;
  return (
    <table className="table" data-testid="deployment-error-impact">
      <caption className="visually-hidden">Errors 24 h before and after the deployment</caption>
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col">24 h before</th>
          <th scope="col">24 h after</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">Error events</th>
          <td>{formatEvents(before.error_events)}</td>
          <td>{formatEvents(after.error_events)}</td>
          <td>{changeLabel(before.error_events, after.error_events)}</td>
        </tr>
        <tr>
          <th scope="row">New issues</th>
          <td>{before.new_issues}</td>
          <td>{after.new_issues}</td>
          <td>{changeLabel(before.new_issues, after.new_issues)}</td>
        </tr>
      </tbody>
    </table>
  );
}
