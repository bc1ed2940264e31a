import { z } from "zod";
import type { DomainEndpoints } from "./stack";

/** Creates a verified customer with a password through Kratos' admin API (faster than the UI where the UI is not under test). */
export async function createCustomer(domain: DomainEndpoints, email: string, password: string): Promise<string> {
  const response = await fetch(`${domain.kratosAdmin}/admin/identities`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${domain.adminToken}` },
    body: JSON.stringify({
      schema_id: "default",
      traits: { email, name: { first: "Grace", last: "Hopper" } },
      credentials: { password: { config: { password } } },
      verifiable_addresses: [{ value: email, verified: true, via: "email", status: "completed" }],
    }),
  });
  if (response.status !== 201) throw new Error(`creating identity failed: ${response.status} ${await response.text()}`);
  return z.object({ id: z.string() }).parse(await response.json()).id;
}
