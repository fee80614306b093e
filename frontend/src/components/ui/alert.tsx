import type { ReactNode } from "react";
import { errorMessage, isApiError } from "@/lib/api-error";
import { Button } from "./button";

export type AlertVariant = "error" | "warning" | "success" | "info";

export interface AlertProps {
  variant?: AlertVariant;
  title?: ReactNode;
  children?: ReactNode;
  /** Defaults: "alert" for errors, "status" for successes, none otherwise. */
  role?: "alert" | "status" | "note" | null;
  className?: string;
}

function defaultRole(variant: AlertVariant): AlertProps["role"] {
  if (variant === "error") return "alert";
  if (variant === "success") return "status";
  return null;
}

export function Alert({ variant = "info", title, children, role, className }: AlertProps) {
  const resolvedRole = role === undefined ? defaultRole(variant) : role;
  return (
    <div
      className={["alert", `alert-${variant}`, className ?? ""].filter(Boolean).join(" ")}
      role={resolvedRole ?? undefined}
    >
      {title ? <p className="alert-title">{title}</p> : null}
      {children ? <div className="alert-body">{children}</div> : null}
    </div>
  );
}

export interface ErrorAlertProps {
  error: unknown;
  title?: ReactNode;
  onRetry?: () => void;
  className?: string;
}

/** The server's message, its validation details, and the request id in small text. */
export function ErrorAlert({ error, title, onRetry, className }: ErrorAlertProps) {
  const details = isApiError(error) ? error.details : [];
  const requestId = isApiError(error) ? error.requestId : null;
  return (
    <Alert variant="error" title={title} className={className}>
      <p>{errorMessage(error)}</p>
      {details.length > 0 ? (
        <ul className="alert-details">
          {details.map((detail, index) => (
            <li key={index}>{detail.msg}</li>
          ))}
        </ul>
      ) : null}
      {requestId ? <p className="request-id">Request ID: {requestId}</p> : null}
      {onRetry ? (
        <Button size="sm" onClick={onRetry} className="alert-action">
          Try again
        </Button>
      ) : null}
    </Alert>
  );
}
