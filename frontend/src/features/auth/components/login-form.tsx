import { useRef, useState, type FormEvent } from "react";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useLogin } from "../api";
import { sessionNoticeText, useSessionNotice } from "../session-notice";
import { focusFirstInvalid, hasErrors, validateEmail, type FieldErrors } from "@/lib/validation";

type LoginField = "email" | "password";
const FIELD_ORDER: readonly LoginField[] = ["email", "password"];

export function LoginForm() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FieldErrors<LoginField>>({});
  const formRef = useRef<HTMLFormElement>(null);
  const login = useLogin();
  const { notice } = useSessionNotice();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: FieldErrors<LoginField> = {};
    const emailError = validateEmail(email);
    if (emailError) found.email = emailError;
    if (password === "") found.password = "Enter your password.";
    setErrors(found);
    if (hasErrors(found)) {
      focusFirstInvalid(formRef.current, FIELD_ORDER, found);
      return;
    }
    login.mutate({ email: email.trim(), password });
  }

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} noValidate aria-label="Sign in">
      {notice && !login.isError ? (
        <Alert variant={notice === "expired" ? "warning" : "info"} role="status">
          {sessionNoticeText[notice]}
        </Alert>
      ) : null}
      {login.isError ? <ErrorAlert error={login.error} /> : null}
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
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={errors.password}
      />
      <Button type="submit" variant="primary" busy={login.isPending} className="button-block">
        Sign in
      </Button>
    </form>
  );
}
