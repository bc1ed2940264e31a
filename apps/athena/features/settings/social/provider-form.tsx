"use client";

import { useId, useState } from "react";
import { DEFAULT_SOCIAL_SCOPES } from "@olympus/athena-store/settings";
import { Button, inputClass } from "@/shared/ui/primitives";
import { useServerAction } from "@/shared/ui/use-server-action";
import { saveSocialProvider } from "./actions";
import type { ProviderListing } from "./listing";
import type { ProviderForm as ProviderFormValues } from "./provider-input";

type Field = Exclude<keyof ProviderFormValues, "mode">;

const FIELDS: { name: Field; label: string; hint: string; multiline?: boolean; secret?: boolean }[] = [
  { name: "id", label: "Provider id", hint: "Lower-case letters, digits and hyphens; part of the callback URL, cannot be changed later" },
  { name: "label", label: "Button label", hint: "What the sign-in button says, e.g. Sign in with Acme (1–40 characters)" },
  { name: "issuer", label: "Issuer URL", hint: "The provider's OpenID Connect issuer; https (http only for localhost)" },
  { name: "clientId", label: "Client id", hint: "The client registered at the provider" },
  { name: "clientSecret", label: "Client secret", hint: "Always encrypted; never shown again", secret: true },
  { name: "scopes", label: "Scopes", hint: "Space-separated; must include openid" },
  {
    name: "mapper",
    label: "Claims mapper (Jsonnet, optional)",
    hint: "Blank: a verified email claim becomes the email trait, given_name/family_name the name",
    multiline: true,
  },
];

/**
 * Adds a provider (`existing` absent) or edits one. The secret field starts
 * empty; left blank on edit, the stored secret is kept. Errors from the
 * server appear beside their field and are announced.
 */
export function ProviderForm({ existing, onDone }: { existing?: ProviderListing; onDone: () => void }) {
  const id = useId();
  const [values, setValues] = useState<Record<Field, string>>({
    id: existing?.id ?? "",
    label: existing?.label ?? "",
    issuer: existing?.issuer ?? "",
    clientId: existing?.clientId ?? "",
    clientSecret: "",
    scopes: existing?.scopes || DEFAULT_SOCIAL_SCOPES,
    mapper: existing?.mapper ?? "",
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useServerAction(saveSocialProvider, {
    inlineFieldErrors: true,
    onSuccess: () => (setErrors({}), onDone()),
    onError: (fields) => setErrors(fields ?? {}),
  });
  const title = existing ? `Edit ${existing.label || existing.id}` : "Add a provider";
  return (
    <form
      className="mt-4 flex flex-col gap-3 rounded-md border border-slate-200 p-3 text-sm"
      aria-label={title}
      data-testid="social-provider-form"
      onSubmit={(event) => {
        event.preventDefault();
        save.run({ mode: existing ? "edit" : "create", ...values });
      }}
    >
      <h3 className="font-semibold">{title}</h3>
      {FIELDS.map((field) => {
        const fieldId = `${id}-${field.name}`;
        const error = errors[field.name];
        const secretHint =
          field.secret && existing
            ? `${field.hint}. Currently ${existing.hasSecret ? "set (encrypted)" : "not set"}; leave blank to keep.`
            : field.hint;
        const common = {
          id: fieldId,
          name: field.name,
          value: values[field.name],
          readOnly: field.name === "id" && existing !== undefined,
          "aria-invalid": error ? true : undefined,
          "aria-describedby": `${fieldId}-hint`,
          className: inputClass,
          onChange: (event: { target: { value: string } }) => {
            const next = event.target.value;
            setValues((v) => ({ ...v, [field.name]: next }));
            setErrors(({ [field.name]: _changed, ...rest }) => rest);
          },
        };
        return (
          <div key={field.name} className="flex flex-col gap-1">
            <label htmlFor={fieldId}>{field.label}</label>
            {field.multiline ? (
              <textarea {...common} rows={4} spellCheck={false} className={`${inputClass} font-mono text-xs`} />
            ) : (
              <input
                {...common}
                type={field.secret ? "password" : "text"}
                autoComplete={field.secret ? "new-password" : "off"}
                placeholder={field.secret && existing ? "leave blank to keep" : undefined}
                required={!field.secret || !existing ? field.name !== "mapper" : false}
              />
            )}
            <span id={`${fieldId}-hint`} className={error ? "text-xs text-red-700" : "text-xs text-slate-500"} aria-live="polite">
              {error ?? secretHint}
            </span>
          </div>
        );
      })}
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={save.pending}>
          {save.pending ? "Saving…" : existing ? "Save provider" : "Add provider"}
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}
