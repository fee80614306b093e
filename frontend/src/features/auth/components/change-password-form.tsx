import { useRef, useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useChangePassword } from "../api";
import { NewPasswordFields } from "./new-password-fields";
import {
  focusFirstInvalid,
  hasErrors,
  validateConfirmation,
  validateNewPassword,
  type FieldErrors,
} from "@/lib/validation";

type PasswordField = "current" | "next" | "confirm";
const FIELD_ORDER: readonly PasswordField[] = ["current", "next", "confirm"];

/** Changing the password signs out every session, this one included. */
export function ChangePasswordForm() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<FieldErrors<PasswordField>>({});
  const formRef = useRef<HTMLFormElement>(null);
  const changePassword = useChangePassword();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: FieldErrors<PasswordField> = {};
    if (current === "") found.current = "Enter your current password.";
    const nextError = validateNewPassword(next);
    const confirmError = validateConfirmation(next, confirm);
    if (nextError) found.next = nextError;
    if (confirmError) found.confirm = confirmError;
    setErrors(found);
    if (hasErrors(found)) {
      focusFirstInvalid(formRef.current, FIELD_ORDER, found);
      return;
    }
    changePassword.mutate({ current_password: current, new_password: next });
  }

  return (
    <form ref={formRef} className="form form-narrow" onSubmit={onSubmit} noValidate aria-label="Change password">
      <p className="muted">After the change, every session is signed out and you sign in again.</p>
      {changePassword.isError ? <ErrorAlert error={changePassword.error} /> : null}
      <Field
        label="Current password"
        name="current"
        type="password"
        autoComplete="current-password"
        required
        value={current}
        onChange={(event) => setCurrent(event.target.value)}
        error={errors.current}
      />
      <NewPasswordFields
        labels={{ password: "New password", confirm: "Confirm new password" }}
        names={{ password: "next", confirm: "confirm" }}
        password={next}
        confirm={confirm}
        onPasswordChange={setNext}
        onConfirmChange={setConfirm}
        errors={{ password: errors.next, confirm: errors.confirm }}
      />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={changePassword.isPending}>
          Change password
        </Button>
      </div>
    </form>
  );
}
