"use client";

import { useState } from "react";
import { Button, inputClass } from "@/shared/ui/primitives";
import { useServerAction } from "@/shared/ui/use-server-action";
import { updateMetadata } from "../actions";

/**
 * metadata_public and metadata_admin as JSON. What only an admin may decide
 * lives in metadata_admin — on CIAM the business attributes `customer_id`
 * (4–32 of A–Z, 0–9, -) and `loyalty_tier` (standard, silver, gold,
 * platinum), checked on save. The Athena role is changed with the Role form.
 */
export function MetadataForm({
  identityId,
  metadataPublic,
  metadataAdmin,
  canWrite,
}: {
  identityId: string;
  metadataPublic: string;
  metadataAdmin: string;
  canWrite: boolean;
}) {
  const [pub, setPub] = useState(metadataPublic);
  const [adm, setAdm] = useState(metadataAdmin);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useServerAction(updateMetadata, { onError: (fields) => setErrors(fields ?? {}), onSuccess: () => setErrors({}) });
  return (
    <form
      className="grid gap-3 md:grid-cols-2"
      onSubmit={(event) => {
        event.preventDefault();
        save.run({ id: identityId, metadataPublic: pub, metadataAdmin: adm });
      }}
    >
      <label className="flex flex-col gap-1 text-sm">
        <span>Public metadata (visible to the identity)</span>
        <textarea
          value={pub}
          onChange={(e) => setPub(e.target.value)}
          rows={5}
          className={`${inputClass} font-mono text-xs`}
          disabled={!canWrite}
          aria-invalid={Boolean(errors.metadataPublic)}
        />
        {errors.metadataPublic && <span className="text-xs text-red-700">{errors.metadataPublic}</span>}
      </label>
      <label className="flex flex-col gap-1 text-sm">
        <span>Admin metadata (admins only; e.g. customer_id, loyalty_tier)</span>
        <textarea
          value={adm}
          onChange={(e) => setAdm(e.target.value)}
          rows={5}
          className={`${inputClass} font-mono text-xs`}
          disabled={!canWrite}
          aria-invalid={Boolean(errors.metadataAdmin)}
        />
        {errors.metadataAdmin && <span className="text-xs text-red-700">{errors.metadataAdmin}</span>}
      </label>
      <div>
        <Button type="submit" variant="primary" disabled={!canWrite || save.pending}>
          {save.pending ? "Saving…" : "Save metadata"}
        </Button>
      </div>
    </form>
  );
}
