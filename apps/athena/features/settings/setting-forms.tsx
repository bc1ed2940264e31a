"use client";

import { useId, useState } from "react";
import { ConfirmDialog } from "@/shared/ui/confirm-dialog";
import { Button, inputClass } from "@/shared/ui/primitives";
import { useServerAction } from "@/shared/ui/use-server-action";
import { deleteSetting, saveSettings } from "./actions";
import { settingDefinition, SETTING_GROUPS } from "./catalog";

const SUGGESTED = Object.values(SETTING_GROUPS).flatMap((group) => group.settings.map((s) => s.key));

export function SettingForm({ canWrite }: { canWrite: boolean }) {
  const id = useId();
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const [secret, setSecret] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const save = useServerAction(saveSettings, {
    inlineFieldErrors: true,
    onSuccess: () => (setKey(""), setValue(""), setSecret(false), setError(undefined)),
    onError: (fields) => setError(fields?.["entries.0.value"] ?? fields?.["entries.0.key"]),
  });
  return (
    <form
      className="flex flex-col gap-3 text-sm"
      aria-label="Set a setting"
      onSubmit={(event) => {
        event.preventDefault();
        save.run({ entries: [{ key, value, secret }] });
      }}
    >
      <fieldset disabled={!canWrite} className="flex flex-col gap-3">
        <label htmlFor={`${id}-key`} className="flex flex-col gap-1">
          <span>Key</span>
          <input
            id={`${id}-key`}
            list={`${id}-keys`}
            value={key}
            onChange={(e) => {
              const next = e.target.value.toLowerCase();
              setKey(next);
              // The server seals a known secret whatever the box says; the box shows it.
              if (settingDefinition(next)?.secret) setSecret(true);
            }}
            className={`${inputClass} font-mono`}
            required
            pattern="[a-z0-9][a-z0-9_.\-]{0,127}"
          />
          <datalist id={`${id}-keys`}>
            {SUGGESTED.map((k) => (
              <option key={k} value={k} />
            ))}
          </datalist>
        </label>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-value`}>Value</label>
          <input
            id={`${id}-value`}
            type={secret ? "password" : "text"}
            autoComplete="off"
            value={value}
            onChange={(e) => (setValue(e.target.value), setError(undefined))}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            className={inputClass}
          />
          {error && (
            <span id={`${id}-error`} className="text-xs text-red-700">
              {error}
            </span>
          )}
        </div>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={secret} onChange={(e) => setSecret(e.target.checked)} />
          <span>Secret (encrypted at rest, masked when listed)</span>
        </label>
        <div>
          <Button type="submit" variant="primary" disabled={save.pending || !key}>
            {save.pending ? "Saving…" : "Save setting"}
          </Button>
        </div>
      </fieldset>
    </form>
  );
}

export function DeleteSettingButton({ settingKey, disabled }: { settingKey: string; disabled: boolean }) {
  const remove = useServerAction(deleteSetting);
  return (
    <ConfirmDialog
      trigger="Remove"
      title={`Remove ${settingKey}?`}
      confirmLabel="Remove"
      disabled={disabled}
      pending={remove.pending}
      onConfirm={() => remove.run({ key: settingKey })}
    >
      The stored value is deleted for this domain.
    </ConfirmDialog>
  );
}
