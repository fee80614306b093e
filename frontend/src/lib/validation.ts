export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export function validateEmail(email: string): string | null {
  const value = email.trim();
  if (value === "") return "Enter an email address.";
  if (!/^[^\s@]+@[^\s@]+$/.test(value)) return "Enter a valid email address, like name@example.com.";
  return null;
}

/** The server's length rules; it also rejects common passwords, which only it knows. */
export function validateNewPassword(password: string): string | null {
  if (password === "") return "Enter a password.";
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  return null;
}

export function validateConfirmation(password: string, confirmation: string): string | null {
  if (confirmation === "") return "Enter the password again.";
  if (password !== confirmation) return "The passwords do not match.";
  return null;
}

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

export function hasErrors<K extends string>(errors: FieldErrors<K>): boolean {
  return Object.values(errors).some(Boolean);
}

/** Moves focus to the first field, in the given order, that has an error. */
export function focusFirstInvalid<K extends string>(
  form: HTMLFormElement | null,
  order: readonly K[],
  errors: FieldErrors<K>,
): void {
  const name = order.find((key) => errors[key]);
  if (!form || !name) return;
  const element = form.elements.namedItem(name);
  if (element instanceof HTMLElement) element.focus();
}
