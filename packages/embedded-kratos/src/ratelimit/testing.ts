import type { TestKratos, TestPostgres } from "../testing/harness";

/**
 * Plain-fetch helpers for the abuse-limit tests: API flows with an optional
 * X-Forwarded-For (the test process is a trusted proxy in the dev configs,
 * so each test can speak for any client address).
 */

export interface FlowAnswer {
  status: number;
  retryAfter: string | null;
  body: Record<string, unknown>;
  /** Flow-level message ids (ui.messages). */
  messages: number[];
  /** Flow-level message texts. */
  texts: string[];
}

export async function createApiFlow(kratos: TestKratos, kind: string, headers: Record<string, string> = {}, query = ""): Promise<string> {
  const res = await fetch(`${kratos.publicUrl}/self-service/${kind}/api${query}`, { headers });
  const body = (await res.json()) as { id?: string };
  if (!body.id) throw new Error(`no ${kind} flow: ${JSON.stringify(body)}`);
  return body.id;
}

export async function submit(kratos: TestKratos, kind: string, flow: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<FlowAnswer> {
  const res = await fetch(`${kratos.publicUrl}/self-service/${kind}?flow=${flow}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  const messages = ((json.ui as { messages?: { id: number; text: string }[] } | undefined)?.messages ?? []);
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: json, messages: messages.map((m) => m.id), texts: messages.map((m) => m.text) };
}

/** One API password login attempt (fresh flow each time, as a script would). */
export async function passwordAttempt(kratos: TestKratos, identifier: string, password: string, ip?: string): Promise<FlowAnswer> {
  const headers: Record<string, string> = ip ? { "X-Forwarded-For": ip } : {};
  const flow = await createApiFlow(kratos, "login", headers);
  return submit(kratos, "login", flow, { method: "password", identifier, password }, headers);
}

/** Pretends the back-off or lockout time has passed (moves every block into the past). */
export async function skipBlocks(pg: TestPostgres, database: string): Promise<void> {
  await pg.query("UPDATE olympus_rate_limits SET blocked_until = now() - interval '1 second' WHERE blocked_until IS NOT NULL", [], database);
}

/** Pretends every window has ended. */
export async function skipWindows(pg: TestPostgres, database: string): Promise<void> {
  await pg.query(
    "UPDATE olympus_rate_limits SET window_started_at = now() - interval '2 days', blocked_until = NULL",
    [],
    database,
  );
}

/** A fresh client address per call (TEST-NET-2, 198.51.100.0/24, then 203.0.113.0/24). */
let nextAddress = 0;
export function freshIp(): string {
  const n = nextAddress++;
  return n < 250 ? `198.51.100.${n + 1}` : `203.0.113.${(n - 250) % 250 + 1}`;
}
