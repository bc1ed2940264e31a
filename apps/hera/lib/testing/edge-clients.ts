import type { EdgeServer, EdgeStack } from "./edge-stack";

/**
 * Clients of Hera's Kratos proxy for the edge tests: API (native) flows as a
 * script or app would drive them, each optionally claiming a client address
 * (believed only where the edge trusts the test's loopback as a proxy), and a
 * cookie-keeping browser for browser flows.
 */

export const STRONG_PASSWORD = "correct-horse-battery-staple-42";
export const WRONG_PASSWORD = "wrong-password-123";

let counter = 0;
export const uniqueEmail = (prefix = "user") => `${prefix}-${Date.now().toString(36)}-${counter++}@example.com`;

/** A fresh client address per call (TEST-NET-2, 198.51.100.0/24, then 203.0.113.0/24). */
let nextAddress = 0;
export function freshIp(): string {
  const n = nextAddress++;
  return n < 250 ? `198.51.100.${n + 1}` : `203.0.113.${((n - 250) % 250) + 1}`;
}

export interface FlowAnswer {
  status: number;
  retryAfter: string | null;
  body: Record<string, unknown>;
  /** Flow-level message ids (ui.messages). */
  messages: number[];
  texts: string[];
}

type UiMessage = { id: number; text: string };

export async function createApiFlow(hera: EdgeServer, kind: string, headers: Record<string, string> = {}, query = ""): Promise<string> {
  const response = await fetch(`${hera.kratos}/self-service/${kind}/api${query}`, { headers });
  const body = (await response.json()) as { id?: string };
  if (!body.id) throw new Error(`no ${kind} flow: ${response.status} ${JSON.stringify(body)}`);
  return body.id;
}

export async function submit(
  hera: EdgeServer,
  kind: string,
  flow: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<FlowAnswer> {
  const response = await fetch(`${hera.kratos}/self-service/${kind}?flow=${flow}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return answerOf(response);
}

export async function answerOf(response: Response): Promise<FlowAnswer> {
  const json = (await response.json()) as Record<string, unknown>;
  const messages = (json.ui as { messages?: UiMessage[] } | undefined)?.messages ?? [];
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: json,
    messages: messages.map((m) => m.id),
    texts: messages.map((m) => m.text),
  };
}

/** One API password sign-in attempt (a fresh flow each time, as a script would), optionally claiming a client address. */
export async function passwordAttempt(hera: EdgeServer, identifier: string, password: string, ip?: string): Promise<FlowAnswer> {
  const headers: Record<string, string> = ip ? { "X-Forwarded-For": ip } : {};
  const flow = await createApiFlow(hera, "login", headers);
  return submit(hera, "login", flow, { method: "password", identifier, password }, headers);
}

/** A person with a password, created through Kratos' admin API. */
export async function createPerson(stack: EdgeStack, email = uniqueEmail("person")): Promise<{ id: string; email: string }> {
  const traits = stack.domain === "iam" ? { email, name: { first: "Grace", last: "Hopper" } } : { email };
  const response = await stack.admin("POST", "/admin/identities", {
    schema_id: stack.domain === "iam" ? "admin" : "default",
    traits,
    credentials: { password: { config: { password: STRONG_PASSWORD } } },
  });
  const body = (await response.json()) as { id?: string };
  if (response.status !== 201 || !body.id) throw new Error(`creating ${email} failed: ${response.status} ${JSON.stringify(body)}`);
  return { id: body.id, email };
}

/** Pretends the back-off or lockout time has passed (moves every block into the past). */
export async function skipBlocks(stack: EdgeStack): Promise<void> {
  await stack.db.superuser("UPDATE olympus_edge_counters SET blocked_until = now() - interval '1 second' WHERE blocked_until IS NOT NULL");
}

/** A browser: cookies by name for the edge's one host (host-only, as Hera sets them), redirects followed by hand. */
export class Browser {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie header the browser received, as received. */
  readonly received: string[] = [];

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    if (cookie) headers.set("cookie", cookie);
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const header of response.headers.getSetCookie()) {
      this.received.push(header);
      const [pair = "", ...attributes] = header.split(";").map((p) => p.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expired = value === "" || attributes.some((a) => /^max-age=(0|-\d+)$/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Ory Elements' way: JSON in, JSON out. */
  json(url: string, body?: unknown, method = body === undefined ? "GET" : "POST"): Promise<Response> {
    return this.fetch(url, {
      method,
      headers: { Accept: "application/json", ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  /** A plain HTML form post (no JavaScript). */
  form(url: string, fields: Record<string, string>): Promise<Response> {
    return this.fetch(url, {
      method: "POST",
      headers: { Accept: "text/html", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

type Node = { attributes: { name?: string; value?: unknown } };

export function nodeValue(flow: { ui: { nodes: Node[] } }, name: string): string | undefined {
  const value = flow.ui.nodes.find((n) => n.attributes.name === name)?.attributes.value;
  return typeof value === "string" ? value : undefined;
}
