"use client";

import { useState } from "react";
import { Button } from "@/shared/ui/primitives";
import { useServerAction } from "@/shared/ui/use-server-action";
import { updateTraits } from "../actions";
import { buildTraits, type TraitField } from "@/features/schemas/schema-form";
import { TraitInputs } from "../trait-inputs";

export function TraitsForm({
  identityId,
  fields,
  initialValues,
  existingTraits,
  canWrite,
}: {
  identityId: string;
  fields: TraitField[];
  initialValues: Record<string, string>;
  existingTraits: Record<string, unknown>;
  canWrite: boolean;
}) {
  const [values, setValues] = useState(initialValues);
  const save = useServerAction(updateTraits);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.run({ id: identityId, traits: buildTraits(fields, values, existingTraits) });
      }}
      className="flex flex-col gap-3"
      aria-label="Traits"
    >
      <TraitInputs
        fields={fields}
        values={values}
        onChange={(name, value) => setValues((v) => ({ ...v, [name]: value }))}
        disabled={!canWrite}
      />
      <div>
        <Button type="submit" variant="primary" disabled={!canWrite || save.pending}>
          {save.pending ? "Saving…" : "Save traits"}
        </Button>
      </div>
    </form>
  );
}
