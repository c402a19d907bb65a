// A modal dialog on the native <dialog> element: the browser traps focus, Escape closes it and
// the rest of the page becomes inert. Focus returns to whatever opened it.
import { useEffect, useId, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

export function Dialog(props: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Extra class for width, e.g. "dialog--wide". */
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();
  const { t } = useTranslation();

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) {
      opener.current = document.activeElement;
      if (typeof d.showModal === "function") d.showModal();
      else d.setAttribute("open", "");
      const first = d.querySelector<HTMLElement>(
        "[autofocus], textarea, select, input:not([type=hidden]), button:not(.dialog__close)",
      );
      first?.focus();
    } else if (!props.open && d.open) {
      d.close();
      if (opener.current instanceof HTMLElement) opener.current.focus();
    }
  }, [props.open]);

  return (
    <dialog
      ref={ref}
      className={"dialog " + (props.className ?? "")}
      aria-labelledby={titleId}
      onClose={() => props.open && props.onClose()}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      {props.open ? (
        <>
          <div className="dialog__header">
            <h2 id={titleId} className="dialog__title">
              {props.title}
            </h2>
            <button type="button" className="dialog__close" onClick={props.onClose} aria-label={t("common.close")}>
              ×
            </button>
          </div>
          <div className="dialog__body">{props.children}</div>
        </>
      ) : null}
    </dialog>
  );
}
