"use client";

import Link from "next/link";
import { useState } from "react";
import { ClientForm } from "../client-form";
import { SecretOnce } from "../secret-once";
import { useServerAction } from "@/shared/ui/use-server-action";
import { createOAuth2Client } from "../actions";

export function NewClient() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<{ clientId: string; clientSecret: string | null } | null>(null);
  const create = useServerAction(createOAuth2Client, { refresh: false, onSuccess: setCreated, onError: (f) => setErrors(f ?? {}) });
  if (created) {
    return (
      <div className="flex flex-col gap-3">
        <SecretOnce clientId={created.clientId} secret={created.clientSecret} />
        <Link href={`/oauth2-clients/${encodeURIComponent(created.clientId)}`} className="text-sm text-brand underline">
          Open the client
        </Link>
      </div>
    );
  }
  return (
    <ClientForm
      initial={{
        name: "",
        redirectUris: [],
        postLogoutRedirectUris: [],
        grantTypes: ["authorization_code", "refresh_token"],
        scope: "openid email profile offline_access",
        tokenEndpointAuthMethod: "client_secret_basic",
        firstParty: false,
      }}
      submitLabel="Create client"
      pending={create.pending}
      disabled={false}
      errors={errors}
      onSubmit={(input) => create.run(input)}
    />
  );
}
