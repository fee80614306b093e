import { useState } from "react";
import { Check, Copy } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { IngestTokenCreated } from "../types";

export interface NewTokenNoticeProps {
  created: IngestTokenCreated;
  onDone: () => void;
}

/** The new token, shown once, with a copy button. It is kept only in this component's state. */
export function NewTokenNotice({ created, onDone }: NewTokenNoticeProps) {
  const [copied, setCopied] = useState<boolean | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <Alert variant="warning" role="status" title={`Token “${created.name}” created`}>
      <p>Copy it now and store it in your CI secrets. It will not be shown again.</p>
      <div className="form">
        <Field
          label="New ingest token"
          readOnly
          value={created.token}
          spellCheck={false}
          autoComplete="off"
          onFocus={(event) => event.currentTarget.select()}
        />
        <div className="form-actions">
          <Button variant="primary" onClick={() => void copy()}>
            {copied ? <Check size={16} aria-hidden="true" /> : <Copy size={16} aria-hidden="true" />}{" "}
            {copied ? "Copied" : "Copy token"}
          </Button>
          <Button onClick={onDone}>Done</Button>
          {copied === false ? (
            <span className="text-error">Copying is not allowed here; select the token and copy it by hand.</span>
          ) : null}
        </div>
      </div>
    </Alert>
  );
}
