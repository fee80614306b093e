import { useRef, useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, SelectField } from "@/components/ui/field";
import { focusFirstInvalid } from "@/lib/validation";
import { useCreateIngestToken } from "../api";
import type { IngestTokenCreated } from "../types";
import { NewTokenNotice } from "./new-token-notice";

const EXPIRY_CHOICES = [
  { value: "", label: "Never" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In a year" },
] as const;

export function CreateTokenForm() {
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<IngestTokenCreated | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const createToken = useCreateIngestToken();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === "") {
      const message = "Give the token a name, e.g. the pipeline that will use it.";
      setError(message);
      focusFirstInvalid(formRef.current, ["name"], { name: message });
      return;
    }
    setError(null);
    setCreated(null);
    createToken.mutate(
      { name: trimmed, ...(expiry ? { expires_in_days: Number(expiry) } : {}) },
      {
        onSuccess: (token) => {
          setCreated(token);
          setName("");
          setExpiry("");
        },
      },
    );
  }

  return (
    <Card
      title="Create a token"
      headingLevel={3}
      description="A token lets one tool push deployments, incidents and pull requests. It opens nothing else."
    >
      {created ? <NewTokenNotice created={created} onDone={() => setCreated(null)} /> : null}
      <form ref={formRef} className="form" onSubmit={onSubmit} noValidate>
        <div className="form-row">
          <Field
            label="Token name"
            name="name"
            autoComplete="off"
            required
            maxLength={200}
            hint="For example: Jenkins production deploys."
            value={name}
            onChange={(event) => setName(event.target.value)}
            error={error}
          />
          <SelectField
            label="Expires"
            name="expires"
            value={expiry}
            onChange={(event) => setExpiry(event.target.value)}
          >
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </SelectField>
        </div>
        {createToken.isError ? <ErrorAlert error={createToken.error} /> : null}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={createToken.isPending}>
            Create token
          </Button>
        </div>
      </form>
    </Card>
  );
}
