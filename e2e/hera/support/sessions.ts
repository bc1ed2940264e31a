import { z } from "zod";
import type { DomainEndpoints } from "./stack";

const session = z.object({
  active: z.boolean(),
  authenticated_at: z.string(),
  authenticator_assurance_level: z.string(),
  authentication_methods: z.array(z.object({ method: z.string() })).default([]),
});

/** What a journey asserts about how a customer signed in. */
export interface SignIn {
  aal: string;
  methods: string[];
}

/** The identity's most recently authenticated active session, as Kratos' admin API reports it. */
export async function latestSignIn(domain: DomainEndpoints, identityId: string): Promise<SignIn> {
  const response = await fetch(`${domain.kratosAdmin}/admin/identities/${identityId}/sessions?active=true`, {
    headers: { Authorization: `Bearer ${domain.adminToken}` },
  });
  if (!response.ok) throw new Error(`listing sessions failed: ${response.status} ${await response.text()}`);
  const sessions = z.array(session).parse(await response.json());
  const latest = sessions.filter((s) => s.active).sort((a, b) => Date.parse(b.authenticated_at) - Date.parse(a.authenticated_at))[0];
  if (!latest) throw new Error(`identity ${identityId} has no active session`);
  return { aal: latest.authenticator_assurance_level, methods: latest.authentication_methods.map((m) => m.method) };
}
