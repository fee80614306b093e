import { useEffect, useRef, type ReactNode } from "react";
import { X } from "lucide-react";

/** A modal side panel; Escape or the close button closes it. */
export function Drawer({
  title,
  titleId,
  onClose,
  children,
}: {
  title: ReactNode;
  titleId: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (typeof element.showModal === "function" && !element.open) element.showModal();
    else element.setAttribute("open", "");
    const onCancel = (event: Event) => {
      event.preventDefault();
      onClose();
    };
    element.addEventListener("cancel", onCancel);
    return () => {
      element.removeEventListener("cancel", onCancel);
      if (typeof element.close === "function" && element.open) element.close();
    };
  }, [onClose]);

  return (
    <dialog ref={dialog} className="drawer" aria-labelledby={titleId}>
      <header className="drawer-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close" autoFocus>
          <X size={18} aria-hidden="true" />
        </button>
      </header>
      {children}
    </dialog>
  );
}
