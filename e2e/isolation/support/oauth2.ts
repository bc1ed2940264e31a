import { randomBytes } from "node:crypto";
import { z } from "zod";
import { EMBEDDED_DEMO_CLIENT } from "@olympus/devstack/defaults";
import type { DomainSide } from "./stack";

/** The seeded CIAM relying party (the demo app; packages/devstack/src/seeds/dev-seeds.ts). */
export const CIAM_DEMO_CLIENT = { id: EMBEDDED_DEMO_CLIENT.clientId, redirectUri: `${EMBEDDED_DEMO_CLIENT.publicUrl}/callback` } as const;

const clientList = z.array(z.object({ client_id: z.string() }));

/** One domain's Hydra admin API and the token it requires. */
export type HydraAdmin = Pick<DomainSide, "hydraAdmin" | "adminToken">;

const authorization = (hydra: HydraAdmin) => ({ Authorization: `Bearer ${hydra.adminToken}` });

/** Every client id a Hydra admin API lists, following its `Link: rel="next"` pages. */
export async function listClientIds(hydra: HydraAdmin): Promise<string[]> {
  const ids: string[] = [];
  let next: string | undefined = "/admin/clients?page_size=100";
  while (next) {
    const response: Response = await fetch(new URL(next, hydra.hydraAdmin), { headers: authorization(hydra) });
    if (!response.ok) throw new Error(`listing clients at ${hydra.hydraAdmin} failed: ${response.status}`);
    ids.push(...clientList.parse(await response.json()).map((client) => client.client_id));
    next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get("link") ?? "")?.[1];
  }
  return ids;
}

/** Client ids registered on both domains' Hydra: each one lets a client of one domain be mistaken for the other's. */
export function overlappingClientIds(ciam: readonly string[], iam: readonly string[]): string[] {
  const iamIds = new Set(iam);
  return [...new Set(ciam)].filter((id) => iamIds.has(id)).sort();
}

/** An authorization-code request as a relying party would send it (state and nonce long enough for Hydra). */
export function authorizationUrl(hydraBrowser: string, client: { id: string; redirectUri: string }): URL {
  const url = new URL("/oauth2/auth", hydraBrowser);
  url.search = new URLSearchParams({
    client_id: client.id,
    redirect_uri: client.redirectUri,
    response_type: "code",
    scope: "openid email",
    state: randomBytes(12).toString("hex"),
    nonce: randomBytes(12).toString("hex"),
  }).toString();
  return url;
}

/** Registers a client with a chosen id (the companion's collision) and returns how to delete it again. */
export async function registerClient(hydra: HydraAdmin, id: string, redirectUri: string): Promise<() => Promise<void>> {
  const response = await fetch(new URL("/admin/clients", hydra.hydraAdmin), {
    method: "POST",
    headers: { "Content-Type": "application/json", ...authorization(hydra) },
    body: JSON.stringify({
      client_id: id,
      client_name: "isolation companion (deleted after the test)",
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      scope: "openid email",
    }),
  });
  if (response.status !== 201)
    throw new Error(`registering ${id} at ${hydra.hydraAdmin} failed: ${response.status} ${await response.text()}`);
  return async () => {
    const deleted = await fetch(new URL(`/admin/clients/${encodeURIComponent(id)}`, hydra.hydraAdmin), {
      method: "DELETE",
      headers: authorization(hydra),
    });
    if (deleted.status !== 204) throw new Error(`deleting ${id} at ${hydra.hydraAdmin} failed: ${deleted.status}`);
  };
}

/** Where an authorization request led the browser. */
export interface AuthorizationOutcome {
  /** It reached the Hera login of the Hydra it was sent to: the client was accepted there. */
  reachedLogin: boolean;
  /** It reached the client's redirect URI (with a code or an error). */
  reachedClient: boolean;
  /** The OAuth2 `error` the browser ended up with, if any. */
  error: string | undefined;
}

/**
 * Judges the navigations of an authorization request. A client of the other
 * domain must be refused by Hydra itself: an OAuth2 error, no login page, and
 * no redirect to its (unverified) redirect URI.
 */
export function authorizationOutcome(navigations: readonly string[], heraLogin: string, redirectUri: string): AuthorizationOutcome {
  const urls = navigations.map((href) => new URL(href));
  const login = new URL(heraLogin);
  const last = urls.at(-1);
  return {
    reachedLogin: urls.some((url) => url.origin === login.origin && url.pathname === login.pathname),
    reachedClient: navigations.some((href) => href.startsWith(redirectUri)),
    error: last?.searchParams.get("error") ?? undefined,
  };
}
