import { z } from "zod";
import type { SecurityDomain } from "./stack";

export interface Person {
  id: string;
  email: string;
  password: string;
}

const created = z.object({ id: z.string() });

async function admin(domain: SecurityDomain, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${domain.kratosAdmin}${path}`, {
    method,
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${domain.adminToken}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/**
 * Creates a verified person with a password through Kratos' admin API: an
 * IAM employee (schema `admin`, the Athena role in metadata_admin when
 * given) or a CIAM customer (schema `default`).
 */
export async function createPerson(domain: SecurityDomain, email: string, options: { role?: "admin" | "viewer" } = {}): Promise<Person> {
  const password = `security-${Math.random().toString(36).slice(2)}-Pw1`;
  const iam = domain.name === "iam";
  const response = await admin(domain, "POST", "/admin/identities", {
    schema_id: iam ? "admin" : "default",
    state: "active",
    traits: { email, name: { first: "Test", last: options.role ?? "Person" } },
    ...(options.role ? { metadata_admin: { iam_admin_role: options.role } } : {}),
    credentials: { password: { config: { password } } },
    verifiable_addresses: [{ value: email, via: "email", verified: true, status: "completed" }],
  });
  if (response.status !== 201) throw new Error(`could not create ${email}: ${response.status} ${await response.text()}`);
  return { id: created.parse(await response.json()).id, email, password };
}

const identityBody = z.looseObject({
  id: z.string(),
  state: z.string(),
  traits: z.record(z.string(), z.unknown()),
  metadata_admin: z.unknown().optional(),
  metadata_public: z.unknown().optional(),
});
export type IdentityBody = z.infer<typeof identityBody>;

/** The identity as Kratos' admin API returns it. */
export async function identityOf(domain: SecurityDomain, id: string): Promise<IdentityBody> {
  const response = await admin(domain, "GET", `/admin/identities/${id}`);
  if (response.status !== 200) throw new Error(`identity ${id}: ${response.status}`);
  return identityBody.parse(await response.json());
}

/** Kratos' whoami for a session cookie as the browser holds it, from Node. */
export async function whoami(domain: SecurityDomain, cookieValue: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${domain.kratosPublic}/sessions/whoami`, { headers: { Cookie: `${domain.sessionCookie}=${cookieValue}` } });
  return { status: response.status, body: await response.json().catch(() => null) };
}
