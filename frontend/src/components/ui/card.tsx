import { useId, type ReactNode } from "react";

export interface CardProps {
  title?: ReactNode;
  /** Heading level of the title, so headings stay in order on each page. */
  headingLevel?: 2 | 3 | 4;
  description?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
  className?: string;
}

export function Card({ title, headingLevel = 2, description, actions, children, className }: CardProps) {
  const Heading = `h${headingLevel}` as const;
  const headingId = useId();
  return (
    <section
      className={["card", className ?? ""].filter(Boolean).join(" ")}
      aria-labelledby={title ? headingId : undefined}
    >
      {title || actions ? (
        <header className="card-header">
          <div>
            {title ? (
              <Heading className="card-title" id={headingId}>
                {title}
              </Heading>
            ) : null}
            {description ? <p className="card-description">{description}</p> : null}
          </div>
          {actions ? <div className="card-actions">{actions}</div> : null}
        </header>
      ) : null}
      {children}
    </section>
  );
}
