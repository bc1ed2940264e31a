import Link from "next/link";
import type { ReactNode } from "react";
import { inputClass } from "@/shared/ui/primitives";

/**
 * Athena's one filter form: a GET form, so every filtered view is a link
 * (shareable, back-button safe) and works before any script runs. Its
 * fields are FilterField children; "Clear" shows once something is set.
 */
export function FilterBar({
  action,
  label,
  active,
  children,
  submitLabel = "Search",
}: {
  action: string;
  label: string;
  active: boolean;
  children: ReactNode;
  submitLabel?: string;
}) {
  return (
    <form
      role="search"
      aria-label={label}
      method="get"
      action={action}
      className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3"
    >
      {children}
      <button
        type="submit"
        className="rounded-md bg-brand px-3 py-1.5 text-sm font-semibold text-white focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand"
      >
        {submitLabel}
      </button>
      {active && (
        <Link href={action} className="text-sm text-slate-700 underline">
          Clear
        </Link>
      )}
    </form>
  );
}

/**
 * One labelled control of a FilterBar; `grow` lets a text field take the
 * spare width. A hint is kept out of the label (so the field's name stays
 * short) and tied to the control by `${id}-hint`: give the control
 * `aria-describedby` with that id.
 */
export function FilterField({
  label,
  id,
  hint,
  grow,
  children,
}: {
  label: string;
  id: string;
  hint?: string;
  grow?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={`flex flex-col gap-1 text-sm ${grow ? "min-w-48 flex-1" : ""}`}>
      <label htmlFor={id} className="text-slate-700">
        {label}
      </label>
      {children}
      {hint && (
        <span id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </span>
      )}
    </div>
  );
}

/** A select of a FilterBar with an "Any" choice. */
export function FilterSelect({
  id,
  name,
  value,
  options,
  anyLabel = "Any",
}: {
  id: string;
  name: string;
  value: string | undefined;
  options: readonly (string | { value: string; label: string })[];
  anyLabel?: string | null;
}) {
  return (
    <select id={id} name={name} defaultValue={value ?? ""} className={inputClass}>
      {anyLabel !== null && <option value="">{anyLabel}</option>}
      {options.map((option) => {
        const { value: v, label } = typeof option === "string" ? { value: option, label: option } : option;
        return (
          <option key={v} value={v}>
            {label}
          </option>
        );
      })}
    </select>
  );
}
