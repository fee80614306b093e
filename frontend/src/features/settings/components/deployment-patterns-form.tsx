import { useState, type FormEvent } from "react";
import { Check } from "lucide-react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { LoadingBlock } from "@/components/ui/skeleton";
import { formatList, parseList } from "@/lib/format";
import { useSaveDeploymentPatterns, useSettings } from "../api";

function PatternsForm({ patterns, readOnly }: { patterns: string[]; readOnly: boolean }) {
  const [text, setText] = useState(() => formatList(patterns));
  const [saved, setSaved] = useState(false);
  const save = useSaveDeploymentPatterns();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (readOnly) return;
    setSaved(false);
    save.mutate(parseList(text), {
      onSuccess: (result) => {
        setText(formatList(result.patterns));
        setSaved(true);
      },
    });
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <Field
        label="Deployment patterns"
        hint="Comma-separated, e.g. deploy, release, publish."
        spellCheck={false}
        autoComplete="off"
        disabled={readOnly}
        value={text}
        onChange={(event) => {
          setSaved(false);
          setText(event.target.value);
        }}
      />
      {save.isError ? <ErrorAlert error={save.error} /> : null}
      {readOnly ? null : (
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={save.isPending}>
            Save deployment patterns
          </Button>
          <span className="form-success" role="status">
            {saved ? (
              <>
                <Check size={16} aria-hidden="true" /> Saved
              </>
            ) : null}
          </span>
        </div>
      )}
    </form>
  );
}

export function DeploymentPatternsPanel({ readOnly }: { readOnly: boolean }) {
  const settings = useSettings();
  return (
    <Card title="Deployment patterns" description="Words that identify deployments in the data read from GitHub.">
      {settings.isPending ? <LoadingBlock label="Loading deployment patterns…" /> : null}
      {settings.isError ? (
        <ErrorAlert error={settings.error} title="Cannot load the settings" onRetry={() => void settings.refetch()} />
      ) : null}
      {settings.data ? <PatternsForm patterns={settings.data.deployment_patterns} readOnly={readOnly} /> : null}
    </Card>
  );
}
