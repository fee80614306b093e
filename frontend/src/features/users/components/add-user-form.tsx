import { useRef, useState, type FormEvent } from "react";
import type { Role } from "../types";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, SelectField } from "@/components/ui/field";
import {
  PASSWORD_MIN_LENGTH,
  focusFirstInvalid,
  hasErrors,
  validateEmail,
  validateNewPassword,
  type FieldErrors,
} from "@/lib/validation";
import { useCreateUser } from "../api";

type NewUserField = "email" | "password";
const FIELD_ORDER: readonly NewUserField[] = ["email", "password"];

export function AddUserForm() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [errors, setErrors] = useState<FieldErrors<NewUserField>>({});
  const [added, setAdded] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const createUser = useCreateUser();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAdded(null);
    const found: FieldErrors<NewUserField> = {};
    const emailError = validateEmail(email);
    const passwordError = validateNewPassword(password);
    if (emailError) found.email = emailError;
    if (passwordError) found.password = passwordError;
    setErrors(found);
    if (hasErrors(found)) {
      focusFirstInvalid(formRef.current, FIELD_ORDER, found);
      return;
    }
    createUser.mutate(
      { email: email.trim(), password, role },
      {
        onSuccess: (user) => {
          setAdded(user.email);
          setEmail("");
          setPassword("");
          setRole("viewer");
        },
      },
    );
  }

  return (
    <Card title="Add a user" headingLevel={3} description="Give the new user their password; they can change it later.">
      <form ref={formRef} className="form" onSubmit={onSubmit} noValidate>
        <div className="form-row">
          <Field
            label="New user email"
            name="email"
            type="email"
            autoComplete="off"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            error={errors.email}
          />
          <Field
            label="New user password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={errors.password}
          />
          <SelectField
            label="Role"
            name="role"
            value={role}
            onChange={(event) => setRole(event.target.value === "admin" ? "admin" : "viewer")}
          >
            <option value="viewer">Viewer</option>
            <option value="admin">Admin</option>
          </SelectField>
        </div>
        {createUser.isError ? <ErrorAlert error={createUser.error} /> : null}
        {added ? <Alert variant="success">Added {added}.</Alert> : null}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={createUser.isPending}>
            Add user
          </Button>
        </div>
      </form>
    </Card>
  );
}
