"use client";

import { useId, useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Button, inputClass } from "@/components/ui/primitives";
import { useServerAction } from "@/components/ui/use-server-action";
import { deleteSetting, saveSettings } from "@/lib/actions/settings";

const SUGGESTED = ["smtp.host", "smtp.port", "smtp.username", "smtp.password", "captcha.enabled", "captcha.secret", "m2m.allowed_scopes", "m2m.max_token_lifetime_minutes"];

export function SettingForm({ canWrite }: { canWrite: boolean }) {
  const id = useId();
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const [secret, setSecret] = useState(false);
  const save = useServerAction(saveSettings, { onSuccess: () => (setKey(""), setValue(""), setSecret(false)) });
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
          <input id={`${id}-key`} list={`${id}-keys`} value={key} onChange={(e) => setKey(e.target.value.toLowerCase())} className={`${inputClass} font-mono`} required pattern="[a-z0-9][a-z0-9_.\-]{0,127}" />
          <datalist id={`${id}-keys`}>
            {SUGGESTED.map((k) => (
              <option key={k} value={k} />
            ))}
          </datalist>
        </label>
        <label htmlFor={`${id}-value`} className="flex flex-col gap-1">
          <span>Value</span>
          <input id={`${id}-value`} type={secret ? "password" : "text"} autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} className={inputClass} />
        </label>
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
    <ConfirmDialog trigger="Remove" title={`Remove ${settingKey}?`} confirmLabel="Remove" disabled={disabled} pending={remove.pending} onConfirm={() => remove.run({ key: settingKey })}>
      The stored value is deleted for this domain.
    </ConfirmDialog>
  );
}
