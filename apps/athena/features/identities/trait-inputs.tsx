"use client";

import { inputClass } from "@/shared/ui/primitives";
import type { TraitField } from "@/features/schemas/schema-form";

const INPUT_TYPES: Partial<Record<TraitField["kind"], string>> = {
  email: "email",
  tel: "tel",
  url: "url",
  date: "date",
  number: "number",
  integer: "number",
};

/** Inputs generated from an identity schema's traits (see features/schemas/schema-form). */
export function TraitInputs({
  fields,
  values,
  onChange,
  disabled,
  errors = {},
}: {
  fields: TraitField[];
  values: Record<string, string>;
  onChange: (name: string, value: string) => void;
  disabled: boolean;
  /** Messages by field name (`email`, `name.first`), shown under the field and announced with it. */
  errors?: Record<string, string>;
}) {
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      {fields.map((field) => {
        const name = field.path.join(".");
        const id = `trait-${name}`;
        const value = values[name] ?? "";
        const error = errors[name];
        const errorProps = error ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {};
        return (
          <label key={name} htmlFor={id} className={`flex flex-col gap-1 text-sm ${field.kind === "boolean" ? "justify-end" : ""}`}>
            <span className="text-slate-700">
              {field.label}
              {field.required && <span className="text-red-600"> *</span>}
            </span>
            {field.kind === "select" ? (
              <select
                id={id}
                name={name}
                value={value}
                onChange={(e) => onChange(name, e.target.value)}
                disabled={disabled}
                required={field.required}
                className={inputClass}
                {...errorProps}
              >
                <option value="">—</option>
                {(field.options ?? []).map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : field.kind === "boolean" ? (
              <input
                id={id}
                name={name}
                type="checkbox"
                checked={value === "true"}
                onChange={(e) => onChange(name, e.target.checked ? "true" : "false")}
                disabled={disabled}
                className="h-4 w-4"
              />
            ) : (
              <input
                id={id}
                name={name}
                type={INPUT_TYPES[field.kind] ?? "text"}
                step={field.kind === "integer" ? 1 : undefined}
                value={value}
                onChange={(e) => onChange(name, e.target.value)}
                disabled={disabled}
                required={field.required}
                placeholder={field.kind === "list" ? "comma, separated" : undefined}
                className={`${inputClass} ${error ? "border-red-600" : ""}`}
                {...errorProps}
              />
            )}
            {field.description && <span className="text-xs text-slate-600">{field.description}</span>}
            {error && (
              <span id={`${id}-error`} className="text-xs font-medium text-red-700" data-testid={`field-error-${name}`}>
                {error}
              </span>
            )}
          </label>
        );
      })}
    </div>
  );
}
