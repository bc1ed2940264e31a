"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { Button, Card, inputClass } from "@/shared/ui/primitives";
import { useServerAction } from "@/shared/ui/use-server-action";
import { createIdentity } from "../actions";
import { buildTraits, type TraitField } from "@/features/schemas/schema-form";
import { TraitInputs } from "../trait-inputs";

export function CreateIdentityForm({ schemas }: { schemas: { id: string; fields: TraitField[] }[] }) {
  const router = useRouter();
  const ids = useId();
  const [schemaId, setSchemaId] = useState(schemas.find((s) => s.id === "customer")?.id ?? schemas[0]?.id ?? "");
  const [values, setValues] = useState<Record<string, string>>({});
  const [password, setPassword] = useState("");
  const [invite, setInvite] = useState(true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useServerAction(createIdentity, {
    refresh: false,
    // A taken email comes back as a message for its field (`traits.email`), shown under it instead of a toast.
    inlineFieldErrors: true,
    onError: (fields) => {
      const traits = Object.fromEntries(
        Object.entries(fields ?? {}).flatMap(([key, message]) => (key.startsWith("traits.") ? [[key.slice(7), message]] : [])),
      );
      setErrors(traits);
      const first = Object.keys(traits)[0];
      if (first) document.getElementById(`trait-${first}`)?.focus();
    },
    onSuccess: (data) => router.push(`/identities/${data.id}`),
  });
  const fields = schemas.find((s) => s.id === schemaId)?.fields ?? [];

  return (
    <Card>
      <form
        className="flex flex-col gap-4"
        aria-label="New identity"
        onSubmit={(event) => {
          event.preventDefault();
          create.run({
            schemaId,
            traits: buildTraits(fields, values),
            password: password || undefined,
            invite: invite && !password,
            state: "active",
          });
        }}
      >
        <label htmlFor={`${ids}-schema`} className="flex max-w-xs flex-col gap-1 text-sm">
          <span>Identity schema</span>
          <select
            id={`${ids}-schema`}
            value={schemaId}
            onChange={(e) => {
              setSchemaId(e.target.value);
              setValues({});
              setErrors({});
            }}
            className={inputClass}
          >
            {schemas.map((s) => (
              <option key={s.id} value={s.id}>
                {s.id}
              </option>
            ))}
          </select>
        </label>
        <TraitInputs
          fields={fields}
          values={values}
          errors={errors}
          onChange={(name, value) => {
            setValues((v) => ({ ...v, [name]: value }));
            setErrors(({ [name]: _changed, ...rest }) => rest);
          }}
          disabled={false}
        />
        <fieldset className="flex flex-col gap-2 rounded-md border border-slate-200 p-3 text-sm">
          <legend className="px-1 font-medium">First sign-in</legend>
          <label htmlFor={`${ids}-password`} className="flex max-w-sm flex-col gap-1">
            <span>Password (optional)</span>
            <input
              id={`${ids}-password`}
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              className={inputClass}
            />
          </label>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={invite && !password}
              disabled={Boolean(password)}
              onChange={(e) => setInvite(e.target.checked)}
            />
            <span>Without a password: email an invitation (a sign-in link) so they set their own</span>
          </label>
        </fieldset>
        <div>
          <Button type="submit" variant="primary" disabled={create.pending || !schemaId}>
            {create.pending ? "Creating…" : "Create identity"}
          </Button>
        </div>
      </form>
    </Card>
  );
}
