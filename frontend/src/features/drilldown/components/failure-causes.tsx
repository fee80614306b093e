import { Link, useLocation } from "react-router-dom";
import type { Deployment } from "../api";
import { withDeployment } from "../deployment-param";

type FailureCause = Deployment["failure_causes"][number];

/** Why a deployment counted as failed, cause by cause. A rollback links to the deployment that
 * rolled it back; an incident from Sentry says so. */
export function FailureCauses({ causes }: { causes: readonly FailureCause[] }) {
  const { search } = useLocation();
  return (
    <ul className="cause-list">
      {causes.map((cause, index) => (
        <li key={index} data-kind={cause.kind}>
          {cause.kind === "rollback" && cause.rolled_back_by_deployment_id !== null ? (
            <>
              Rolled back by{" "}
              <Link to={{ search: withDeployment(search, cause.rolled_back_by_deployment_id) }}>
                deployment {cause.rolled_back_by_deployment_id}
              </Link>
              , which went back to an earlier commit.
            </>
          ) : (
            <>
              {cause.kind === "incident" && cause.incident_source === "sentry" ? (
                <span className="badge badge-warning">Sentry</span>
              ) : null}{" "}
              {cause.description}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
