"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Button, inputClass } from "./primitives";
import { useHydrated } from "./use-hydrated";

/**
 * A confirmation for destructive actions. With `typeToConfirm`, the button
 * stays disabled until that exact text is typed (e.g. the identity's email).
 * A native <dialog>: focus is trapped and Escape cancels.
 */
export function ConfirmDialog({
  trigger,
  triggerLabel,
  disabledReason,
  title,
  children,
  confirmLabel,
  typeToConfirm,
  onConfirm,
  disabled,
  pending,
}: {
  trigger: string;
  /** The trigger's accessible name when several triggers share a text ("Remove" beside each credential). */
  triggerLabel?: string;
  /** Why the trigger is disabled, as its tooltip (default: the admin role is missing). */
  disabledReason?: string;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  typeToConfirm?: string;
  onConfirm: (typed: string) => void;
  disabled?: boolean;
  pending?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  const inputId = useId();
  // The dialog opens from onClick, which only exists after hydration.
  const hydrated = useHydrated();
  useEffect(() => {
    if (!pending) ref.current?.close();
  }, [pending]);
  const ready = typeToConfirm === undefined || typed === typeToConfirm;
  return (
    <>
      <Button
        variant="danger"
        disabled={disabled || pending || !hydrated}
        onClick={() => (setTyped(""), ref.current?.showModal())}
        title={disabled ? (disabledReason ?? "Needs the admin role") : undefined}
        aria-label={triggerLabel}
      >
        {trigger}
      </Button>
      <dialog
        ref={ref}
        className="m-auto w-full max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
        aria-labelledby={`${inputId}-title`}
      >
        <form
          method="dialog"
          className="flex flex-col gap-4 p-5"
          onSubmit={(event) => {
            event.preventDefault();
            if (ready) onConfirm(typed);
          }}
        >
          <h2 id={`${inputId}-title`} className="text-lg font-semibold">
            {title}
          </h2>
          {children && <div className="text-sm text-slate-700">{children}</div>}
          {typeToConfirm !== undefined && (
            <label htmlFor={inputId} className="flex flex-col gap-1 text-sm">
              <span>
                Type <strong className="font-mono">{typeToConfirm}</strong> to confirm
              </span>
              <input
                id={inputId}
                className={inputClass}
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                autoComplete="off"
                autoFocus
              />
            </label>
          )}
          <div className="flex justify-end gap-2">
            <Button onClick={() => ref.current?.close()}>Cancel</Button>
            <Button type="submit" variant="danger" disabled={!ready || pending}>
              {pending ? "Working…" : confirmLabel}
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
