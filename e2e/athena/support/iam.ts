import type { AthenaStack } from "./stack";

export interface Employee {
  id: string;
  email: string;
  password: string;
}

/**
 * Creates an IAM employee through IAM Kratos' admin API (the way the devstack
 * seeds the admin): schema `admin`, a password, a verified address, and the
 * given Athena role in `metadata_admin.iam_admin_role` (admin-only data,
 * never a trait) — or none at all.
 */
export async function createEmployee(stack: AthenaStack, email: string, role: "admin" | "viewer" | undefined): Promise<Employee> {
  const password = `employee-${Math.random().toString(36).slice(2)}-Pw1`;
  const response = await fetch(`${stack.kratosAdmin.iam}/admin/identities`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${stack.adminToken.iam}` },
    body: JSON.stringify({
      schema_id: "admin",
      state: "active",
      traits: { email, name: { first: "Test", last: role ?? "Nobody" } },
      ...(role ? { metadata_admin: { iam_admin_role: role } } : {}),
      credentials: { password: { config: { password } } },
      verifiable_addresses: [{ value: email, via: "email", verified: true, status: "completed" }],
    }),
  });
  if (response.status !== 201) throw new Error(`could not create IAM employee ${email}: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { id: string };
  return { id: body.id, email, password };
}
