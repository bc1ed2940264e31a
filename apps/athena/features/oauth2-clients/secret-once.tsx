"use client";

import { useState } from "react";
import { Button } from "@/shared/ui/primitives";

/** A freshly issued client secret: shown once, copyable, never fetched again. */
export function SecretOnce({ clientId, secret }: { clientId: string; secret: string | null }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm" data-testid="secret-once">
      <p className="font-semibold">Client {clientId} is ready.</p>
      {secret ? (
        <>
          <p>This is the only time the secret is shown. Store it in your secret manager now.</p>
          <code className="break-all rounded bg-white px-2 py-1 font-mono" data-testid="client-secret">
            {secret}
          </code>
          <div>
            <Button
              onClick={() => {
                void navigator.clipboard.writeText(secret).then(() => setCopied(true));
              }}
            >
              {copied ? "Copied" : "Copy secret"}
            </Button>
          </div>
        </>
      ) : (
        <p>This is a public client: it has no secret.</p>
      )}
    </div>
  );
}
