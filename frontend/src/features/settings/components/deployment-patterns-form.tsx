import { useSaveDeploymentPatterns } from "../api";
import { PatternsPanel } from "./patterns-form";

export function DeploymentPatternsPanel({ readOnly }: { readOnly: boolean }) {
  const save = useSaveDeploymentPatterns();
  return (
    <PatternsPanel
      readOnly={readOnly}
      description="Words that identify deployments in the data read from GitHub."
      select={(settings) => settings.deployment_patterns}
      save={save}
      text={{
        label: "Deployment patterns",
        hint: "Comma-separated, e.g. deploy, release, publish.",
        submit: "Save deployment patterns",
      }}
    />
  );
}
