import { useState, type FormEvent } from "react";
import type { UseMutationResult } from "@tanstack/react-query";
import { Check } from "lucide-react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { LoadingBlock } from "@/components/ui/skeleton";
import { formatList, parseList } from "@/lib/format";
import type { Settings } from "../types";
import { useSettings } from "../api";

type SavePatterns = UseMutationResult<{ patterns: string[] }, Error, string[]>;

interface PatternsText {
  /** Field label, also the card title, e.g. "Deployment patterns". */
  label: string;
  hint: string;
  submit: string;
}

function PatternsForm({
  patterns,
  readOnly,
  save,
  text: labels,
}: {
  patterns: string[];
  readOnly: boolean;
  save: SavePatterns;
  text: PatternsText;
}) {
  const [text, setText] = useState(() => formatList(patterns));
  const [saved, setSaved] = useState(false);

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
        label={labels.label}
        hint={labels.hint}
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
            {labels.submit}
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

/** A card with one comma-separated list of patterns from the settings; admins save it. */
export function PatternsPanel({
  readOnly,
  description,
  select,
  save,
  text,
}: {
  readOnly: boolean;
  description: string;
  select: (settings: Settings) => string[];
  save: SavePatterns;
  text: PatternsText;
}) {
  const settings = useSettings();
  return (
    <Card title={text.label} description={description}>
      {settings.isPending ? <LoadingBlock label={`Loading ${text.label.toLowerCase()}…`} /> : null}
      {settings.isError ? (
        <ErrorAlert error={settings.error} title="Cannot load the settings" onRetry={() => void settings.refetch()} />
      ) : null}
      {settings.data ? (
        <PatternsForm patterns={select(settings.data)} readOnly={readOnly} save={save} text={text} />
      ) : null}
    </Card>
  );
}
