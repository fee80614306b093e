import { useRef, useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useCreateFirstAdmin } from "../api";
import { NewPasswordFields } from "./new-password-fields";
import {
  focusFirstInvalid,
  hasErrors,
  validateConfirmation,
  validateEmail,
  validateNewPassword,
  type FieldErrors,
} from "@/lib/validation";

type SetupField = "email" | "password" | "confirm";
const FIELD_ORDER: readonly SetupField[] = ["email", "password", "confirm"];

export function SetupForm() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<FieldErrors<SetupField>>({});
  const formRef = useRef<HTMLFormElement>(null);
  const createAdmin = useCreateFirstAdmin();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: FieldErrors<SetupField> = {};
    const emailError = validateEmail(email);
    const passwordError = validateNewPassword(password);
    const confirmError = validateConfirmation(password, confirm);
    if (emailError) found.email = emailError;
    if (passwordError) found.password = passwordError;
    if (confirmError) found.confirm = confirmError;
    setErrors(found);
    if (hasErrors(found)) {
      focusFirstInvalid(formRef.current, FIELD_ORDER, found);
      return;
    }
    createAdmin.mutate({ email: email.trim(), password });
  }

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} noValidate aria-label="Create the admin account">
      {createAdmin.isError ? <ErrorAlert error={createAdmin.error} /> : null}
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={errors.email}
      />
      <NewPasswordFields
        labels={{ password: "Password", confirm: "Confirm password" }}
        names={{ password: "password", confirm: "confirm" }}
        password={password}
        confirm={confirm}
        onPasswordChange={setPassword}
        onConfirmChange={setConfirm}
        errors={{ password: errors.password, confirm: errors.confirm }}
      />
      <Button type="submit" variant="primary" busy={createAdmin.isPending} className="button-block">
        Create account
      </Button>
    </form>
  );
}
