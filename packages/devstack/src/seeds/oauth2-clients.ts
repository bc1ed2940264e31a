import { z } from "zod";
import type { SeedOutcome } from "./admin-identity";
import type { OAuth2ClientSeed } from "./dev-seeds";
import { callJson } from "./http";

const client = z
  .object({
    client_id: z.string(),
    client_name: z.string().optional(),
    redirect_uris: z.array(z.string()).nullish(),
    post_logout_redirect_uris: z.array(z.string()).nullish(),
    grant_types: z.array(z.string()).nullish(),
    response_types: z.array(z.string()).nullish(),
    scope: z.string().optional(),
    token_endpoint_auth_method: z.string().optional(),
    skip_consent: z.boolean().optional(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();
type StoredClient = z.infer<typeof client>;

/**
 * Creates the client when Hydra does not know it, replaces it (PUT, secret
 * included) when any seeded field drifted, and leaves it alone otherwise.
 */
export async function seedOAuth2Client(hydraAdminUrl: string, seed: OAuth2ClientSeed): Promise<SeedOutcome> {
  const base = `${hydraAdminUrl.replace(/\/$/, "")}/admin/clients`;
  const found = await callJson("GET", `${base}/${encodeURIComponent(seed.client_id)}`, client, { accept: [200, 404] });
  if (found.status === 404 || !found.body) {
    await callJson("POST", base, client, { body: seed, accept: [201] });
    return "created";
  }
  if (matches(found.body, seed)) return "unchanged";
  await callJson("PUT", `${base}/${encodeURIComponent(seed.client_id)}`, client, { body: seed });
  return "updated";
}

function matches(stored: StoredClient, seed: OAuth2ClientSeed): boolean {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return (
    stored.client_name === seed.client_name &&
    same(stored.redirect_uris ?? [], seed.redirect_uris) &&
    same(stored.post_logout_redirect_uris ?? [], seed.post_logout_redirect_uris) &&
    same(stored.grant_types ?? [], seed.grant_types) &&
    same(stored.response_types ?? [], seed.response_types) &&
    stored.scope === seed.scope &&
    stored.token_endpoint_auth_method === seed.token_endpoint_auth_method &&
    (stored.skip_consent ?? false) === (seed.skip_consent ?? false) &&
    same(sortKeys(stored.metadata ?? {}), sortKeys(seed.metadata))
  );
}

function sortKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
