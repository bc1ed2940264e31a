"use client";

import { useId, useState } from "react";
import { SecretOnce } from "../secret-once";
import { ConfirmDialog } from "@/shared/ui/confirm-dialog";
import { Button, inputClass } from "@/shared/ui/primitives";
import { useServerAction } from "@/shared/ui/use-server-action";
import { createM2MClient, deleteOAuth2Client, rotateClientSecret } from "../actions";

export function NewM2MClient({
  allowedScopes,
  maxLifetime,
  canWrite,
}: {
  allowedScopes: readonly string[];
  maxLifetime: number;
  canWrite: boolean;
}) {
  const id = useId();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>([]);
  const [lifetime, setLifetime] = useState(Math.min(15, maxLifetime));
  const [created, setCreated] = useState<{ clientId: string; clientSecret: string } | null>(null);
  const create = useServerAction(createM2MClient, { onSuccess: (d) => (setCreated(d), setName(""), setScopes([])) });
  return (
    <div className="flex flex-col gap-3">
      {created && <SecretOnce clientId={created.clientId} secret={created.clientSecret} />}
      <form
        className="flex flex-col gap-3 text-sm"
        onSubmit={(event) => {
          event.preventDefault();
          create.run({ name, scopes, tokenLifetimeMinutes: lifetime });
        }}
      >
        <fieldset disabled={!canWrite} className="flex flex-col gap-3">
          <label htmlFor={`${id}-name`} className="flex flex-col gap-1">
            <span>Name</span>
            <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} className={inputClass} required />
          </label>
          <fieldset className="flex flex-col gap-1">
            <legend>Scopes (allow-list)</legend>
            {allowedScopes.map((s) => (
              <label key={s} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  checked={scopes.includes(s)}
                  onChange={(e) => setScopes((cur) => (e.target.checked ? [...cur, s] : cur.filter((x) => x !== s)))}
                />
                <span className="font-mono text-xs">{s}</span>
              </label>
            ))}
          </fieldset>
          <label htmlFor={`${id}-lifetime`} className="flex flex-col gap-1">
            <span>Access token lifetime (minutes, max {maxLifetime})</span>
            <input
              id={`${id}-lifetime`}
              type="number"
              min={1}
              max={maxLifetime}
              value={lifetime}
              onChange={(e) => setLifetime(Number(e.target.value))}
              className={inputClass}
            />
          </label>
          <div>
            <Button type="submit" variant="primary" disabled={create.pending || scopes.length === 0}>
              {create.pending ? "Creating…" : "Create machine client"}
            </Button>
          </div>
        </fieldset>
      </form>
    </div>
  );
}

export function M2MActions({ clientId, canWrite }: { clientId: string; canWrite: boolean }) {
  const [secret, setSecret] = useState<string | null>(null);
  const rotate = useServerAction(rotateClientSecret, { refresh: false, onSuccess: (d) => setSecret(d.clientSecret) });
  const remove = useServerAction(deleteOAuth2Client);
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        <Button onClick={() => rotate.run({ clientId })} disabled={!canWrite || rotate.pending}>
          Rotate secret
        </Button>
        <ConfirmDialog
          trigger="Delete"
          title="Delete this machine client?"
          confirmLabel="Delete"
          typeToConfirm={clientId}
          disabled={!canWrite}
          pending={remove.pending}
          onConfirm={(typed) => remove.run({ clientId, confirmation: typed })}
        >
          Services using it lose access at once.
        </ConfirmDialog>
      </div>
      {secret && <SecretOnce clientId={clientId} secret={secret} />}
    </div>
  );
}
