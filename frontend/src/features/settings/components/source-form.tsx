import { useId, useState, type FormEvent, type ReactNode } from "react";
import { Check } from "lucide-react";
import type { Secret, SourceName, SourceSettingsMap } from "../types";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { useSaveSource, useTestConnection } from "../api";
import {
  buildSourceUpdate,
  initialValues,
  readSecret,
  type SourceFieldSpec,
  type SourceFormSpec,
  type SourceFormValues,
} from "../source-forms";

interface SecretFieldProps {
  field: SourceFieldSpec;
  secret: Secret;
  value: string;
  onChange: (value: string) => void;
  pendingClear: boolean;
  onPendingClearChange: (pending: boolean) => void;
  readOnly: boolean;
  encryptionAvailable: boolean;
  /** Veelocity reads this source; otherwise a stored value is only kept. */
  syncs: boolean;
}

function SecretField({
  field,
  secret,
  value,
  onChange,
  pendingClear,
  onPendingClearChange,
  readOnly,
  encryptionAvailable,
  syncs,
}: SecretFieldProps) {
  const inputId = useId();
  const stateId = `${inputId}-state`;
  const canChange = !readOnly && encryptionAvailable;

  let state;
  if (pendingClear) {
    state = (
      <>
        <span>Will be removed when you save.</span>
        <Button size="sm" variant="ghost" onClick={() => onPendingClearChange(false)}>
          Undo <span className="visually-hidden">removing {field.label}</span>
        </Button>
      </>
    );
  } else if (secret.configured) {
    state = (
      <>
        <span className="secret-configured">
          <Check size={14} aria-hidden="true" />
          {`${syncs ? "Configured" : "Saved"}${secret.last4 ? ` ••••${secret.last4}` : ""}`}
        </span>
        {canChange ? (
          <Button size="sm" variant="ghost" onClick={() => onPendingClearChange(true)}>
            Clear <span className="visually-hidden">{field.label}</span>
          </Button>
        ) : null}
      </>
    );
  } else {
    state = <span className="muted">{syncs ? "Not configured" : "Not saved"}</span>;
  }

  return (
    <Field
      id={inputId}
      label={field.label}
      hint={field.hint}
      type="password"
      autoComplete="new-password"
      spellCheck={false}
      disabled={!canChange}
      placeholder={canChange && secret.configured && !pendingClear ? "Leave empty to keep the saved value" : undefined}
      value={value}
      onChange={(event) => {
        onChange(event.target.value);
        if (event.target.value !== "") onPendingClearChange(false);
      }}
      extraId={stateId}
      extra={
        <div className="secret-state" id={stateId}>
          {state}
        </div>
      }
    />
  );
}

export interface SourceFormProps {
  spec: SourceFormSpec;
  settings: SourceSettingsMap[SourceName];
  readOnly: boolean;
  encryptionAvailable: boolean;
  /** Veelocity reads this source. When false, its settings are kept but nothing syncs it yet. */
  syncs: boolean;
  /** Shown in the card's header, e.g. "Connect with GitHub". */
  actions?: ReactNode;
}

/** The settings of one source; saving sends only what the form may change. */
export function SourceForm({ spec, settings, readOnly, encryptionAvailable, syncs, actions }: SourceFormProps) {
  const [values, setValues] = useState<SourceFormValues>(() => initialValues(spec, settings));
  const [secretsToClear, setSecretsToClear] = useState<ReadonlySet<string>>(() => new Set());
  const [saved, setSaved] = useState(false);
  const save = useSaveSource(spec.source);
  const test = useTestConnection(spec.source);

  function setValue(key: string, value: string) {
    setSaved(false);
    setValues((current) => ({ ...current, [key]: value }));
  }

  function setPendingClear(key: string, pending: boolean) {
    setSaved(false);
    setSecretsToClear((current) => {
      const next = new Set(current);
      if (pending) next.add(key);
      else next.delete(key);
      return next;
    });
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (readOnly) return;
    setSaved(false);
    save.mutate(buildSourceUpdate(spec, values, secretsToClear), {
      onSuccess: (result) => {
        setValues(initialValues(spec, result));
        setSecretsToClear(new Set());
        setSaved(true);
      },
    });
  }

  return (
    <Card title={spec.title} headingLevel={3} description={spec.description} actions={actions} className="source-card">
      <form className="form" onSubmit={onSubmit} noValidate>
        {syncs ? null : (
          <Alert variant="info" role="note" title="Not synced yet">
            Veelocity does not read {spec.title} yet. What you save here is kept, encrypted, for when it does.
          </Alert>
        )}
        {spec.fields.map((field) =>
          field.kind === "secret" ? (
            <SecretField
              key={field.key}
              field={field}
              secret={readSecret(settings, field.key)}
              value={values[field.key] ?? ""}
              onChange={(value) => setValue(field.key, value)}
              pendingClear={secretsToClear.has(field.key)}
              onPendingClearChange={(pending) => setPendingClear(field.key, pending)}
              readOnly={readOnly}
              encryptionAvailable={encryptionAvailable}
              syncs={syncs}
            />
          ) : (
            <Field
              key={field.key}
              label={field.label}
              hint={field.hint}
              type={field.inputType ?? "text"}
              spellCheck={false}
              autoComplete="off"
              disabled={readOnly}
              placeholder={field.placeholder}
              value={values[field.key] ?? ""}
              onChange={(event) => setValue(field.key, event.target.value)}
            />
          ),
        )}
        {save.isError ? <ErrorAlert error={save.error} /> : null}
        {test.isError ? <ErrorAlert error={test.error} title="Cannot test the connection" /> : null}
        {test.data ? (
          <Alert
            variant={test.data.ok ? "success" : "error"}
            title={test.data.ok ? "Connection works" : "Connection failed"}
          >
            {test.data.message}
          </Alert>
        ) : null}
        {readOnly ? null : (
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={save.isPending}>
              Save {spec.title}
            </Button>
            {syncs ? (
              <Button
                busy={test.isPending}
                onClick={() => {
                  test.reset();
                  test.mutate(buildSourceUpdate(spec, values, secretsToClear));
                }}
              >
                Test connection<span className="visually-hidden"> to {spec.title}</span>
              </Button>
            ) : null}
            <span className="form-success" role="status">
              {saved ? (
                <>
                  <Check size={16} aria-hidden="true" /> {syncs ? "Saved" : "Saved — not synced yet"}
                </>
              ) : null}
            </span>
          </div>
        )}
      </form>
    </Card>
  );
}
