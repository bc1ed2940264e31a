"use client";

import { useId, useState } from "react";
import { Button, inputClass } from "@/shared/ui/primitives";
import { useServerAction } from "@/shared/ui/use-server-action";
import { saveSettingGroup } from "./actions";
import { SETTING_GROUPS, type SettingGroupId } from "./catalog";

/** What the page knows of each stored value: a non-secret's text; of a stored secret, only whether it is sealed. */
export type StoredValue = { secret: false; value: string } | { secret: true; sealed: boolean };

/**
 * The form of one typed group. Non-secret fields start with the stored (or
 * effective) value; a secret field always starts empty and a blank one keeps
 * what is stored. Each field's rule is checked on the server, which names the
 * broken rule beside the field.
 */
export function SettingGroupForm({
  group,
  stored,
  defaults = {},
  canWrite,
}: {
  group: SettingGroupId;
  stored: Record<string, StoredValue | undefined>;
  /** What applies while a key is unset, shown as the empty field's placeholder. */
  defaults?: Record<string, string>;
  canWrite: boolean;
}) {
  const id = useId();
  const { title, settings } = SETTING_GROUPS[group];
  const initial = () =>
    Object.fromEntries(
      settings.map((s) => {
        const current = stored[s.key];
        return [s.key, current && !current.secret ? current.value : ""];
      }),
    );
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useServerAction(saveSettingGroup, {
    inlineFieldErrors: true,
    onSuccess: () => (
      setErrors({}),
      setValues((v) => ({ ...v, ...Object.fromEntries(settings.filter((s) => s.secret).map((s) => [s.key, ""])) }))
    ),
    onError: (fields) => setErrors(fields ?? {}),
  });
  return (
    <form
      className="flex flex-col gap-3 text-sm"
      aria-label={title}
      data-testid={`settings-group-${group}`}
      onSubmit={(event) => {
        event.preventDefault();
        save.run({ group, values });
      }}
    >
      <fieldset disabled={!canWrite} className="flex flex-col gap-3">
        {settings.map((setting) => {
          const current = stored[setting.key];
          const error = errors[`values.${setting.key}`];
          const fieldId = `${id}-${setting.key.replace(/\W/g, "-")}`;
          const secretState = current?.secret
            ? current.sealed
              ? "set (encrypted)"
              : "set in clear — save it again to encrypt it"
            : "not set";
          return (
            <div key={setting.key} className="flex flex-col gap-1">
              <label htmlFor={fieldId}>{setting.label}</label>
              {setting.multiline ? (
                <textarea
                  id={fieldId}
                  name={setting.key}
                  rows={8}
                  value={values[setting.key] ?? ""}
                  onChange={(e) => {
                    const next = e.target.value;
                    setValues((v) => ({ ...v, [setting.key]: next }));
                    setErrors(({ [`values.${setting.key}`]: _changed, ...rest }) => rest);
                  }}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={`${fieldId}-hint`}
                  placeholder={defaults[setting.key] && `default:\n${defaults[setting.key]}`}
                  className={`${inputClass} font-mono text-xs`}
                />
              ) : (
                <input
                  id={fieldId}
                  name={setting.key}
                  type={setting.secret ? "password" : "text"}
                  inputMode={setting.inputMode === "numeric" ? "numeric" : setting.inputMode === "email" ? "email" : undefined}
                  autoComplete={setting.secret ? "new-password" : "off"}
                  value={values[setting.key] ?? ""}
                  onChange={(e) => {
                    const next = e.target.value;
                    setValues((v) => ({ ...v, [setting.key]: next }));
                    setErrors(({ [`values.${setting.key}`]: _changed, ...rest }) => rest);
                  }}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={`${fieldId}-hint`}
                  placeholder={setting.secret ? "leave blank to keep" : defaults[setting.key] && `default: ${defaults[setting.key]}`}
                  className={inputClass}
                />
              )}
              <span id={`${fieldId}-hint`} className={error ? "text-xs text-red-700" : "text-xs text-slate-500"}>
                {error ?? (setting.secret ? `${setting.hint}. Currently ${secretState}.` : setting.hint)}
              </span>
            </div>
          );
        })}
        {errors.values && <p className="text-xs text-red-700">{errors.values}</p>}
        <div>
          <Button type="submit" variant="primary" disabled={save.pending}>
            {save.pending ? "Saving…" : `Save ${SETTING_GROUPS[group].saveLabel}`}
          </Button>
        </div>
      </fieldset>
    </form>
  );
}
