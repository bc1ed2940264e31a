import type { Page } from "@playwright/test";
import { z } from "zod";
import type { DemoStack } from "./stack";

/** The claims the demo app shows, as it received them in the ID token. */
export const idTokenClaims = z.looseObject({
  iss: z.string(),
  sub: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  email: z.string(),
  email_verified: z.boolean(),
  nonce: z.string(),
  amr: z.array(z.string()).optional(),
});
export type IdTokenClaims = z.infer<typeof idTokenClaims>;

/** Reads the claims the demo app's home page shows. */
export async function shownClaims(page: Page): Promise<IdTokenClaims> {
  return idTokenClaims.parse(JSON.parse(await page.getByTestId("claims").innerText()));
}

/** What every admin API call carries: the stack's admin token. */
function adminAuthorization(stack: DemoStack): { Authorization: string } {
  return { Authorization: `Bearer ${stack.adminToken}` };
}

/** The Kratos identity id for a login identifier (admin API). */
export async function identityIdOf(stack: DemoStack, email: string): Promise<string> {
  const response = await fetch(`${stack.kratosAdmin}/admin/identities?credentials_identifier=${encodeURIComponent(email)}`, {
    headers: adminAuthorization(stack),
  });
  const identities = z.array(z.object({ id: z.string() })).parse(await response.json());
  if (identities.length !== 1 || !identities[0]) throw new Error(`expected one identity for ${email}, found ${identities.length}`);
  return identities[0].id;
}

/** The identity's active Kratos sessions (admin API). */
export async function activeSessionsOf(stack: DemoStack, identityId: string): Promise<string[]> {
  const response = await fetch(`${stack.kratosAdmin}/admin/identities/${identityId}/sessions?active=true`, {
    headers: adminAuthorization(stack),
  });
  return z
    .array(z.object({ id: z.string() }))
    .parse(await response.json())
    .map((s) => s.id);
}

/** Kratos' answer to whoami for a session cookie (as the browser held it), from Node. */
export async function whoamiStatus(stack: DemoStack, cookie: { name: string; value: string }): Promise<number> {
  const response = await fetch(`${stack.kratosPublic}/sessions/whoami`, { headers: { Cookie: `${cookie.name}=${cookie.value}` } });
  return response.status;
}
