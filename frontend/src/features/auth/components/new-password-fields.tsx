import { Field } from "@/components/ui/field";
import { PASSWORD_MIN_LENGTH } from "@/lib/validation";

interface NewPasswordFieldsProps {
  labels: { password: string; confirm: string };
  names: { password: string; confirm: string };
  password: string;
  confirm: string;
  onPasswordChange: (value: string) => void;
  onConfirmChange: (value: string) => void;
  errors: { password?: string; confirm?: string };
}

/** A new password and its confirmation, with the password policy as a hint. */
export function NewPasswordFields({
  labels,
  names,
  password,
  confirm,
  onPasswordChange,
  onConfirmChange,
  errors,
}: NewPasswordFieldsProps) {
  return (
    <>
      <Field
        label={labels.password}
        name={names.password}
        type="password"
        autoComplete="new-password"
        required
        hint={`At least ${PASSWORD_MIN_LENGTH} characters. Common passwords are refused.`}
        value={password}
        onChange={(event) => onPasswordChange(event.target.value)}
        error={errors.password}
      />
      <Field
        label={labels.confirm}
        name={names.confirm}
        type="password"
        autoComplete="new-password"
        required
        value={confirm}
        onChange={(event) => onConfirmChange(event.target.value)}
        error={errors.confirm}
      />
    </>
  );
}
