export interface SkeletonProps {
  width?: string;
  height?: string;
  className?: string;
}

/** A grey placeholder block; hidden from assistive technology. */
export function Skeleton({ width = "100%", height = "1rem", className }: SkeletonProps) {
  return (
    <span
      className={["skeleton", className ?? ""].filter(Boolean).join(" ")}
      style={{ width, height }}
      aria-hidden="true"
    />
  );
}

/** Placeholder lines with a spoken "Loading" label. */
export function LoadingBlock({ label = "Loading…", lines = 3 }: { label?: string; lines?: number }) {
  return (
    <div className="loading-block" role="status">
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: lines }, (_, index) => (
        <Skeleton key={index} width={index === lines - 1 ? "60%" : "100%"} />
      ))}
    </div>
  );
}
