import { Configuration, CourierApi } from "@ory/client";
import type { UiNodeInputAttributes } from "@ory/client";
import { TestSmtpServer } from "../../../courier/test-smtp";
import { startKratos, type TestKratos, type TestPostgres } from "../../../testing/harness";

export interface MailKratos extends TestKratos {
  courier: CourierApi;
}

/** CIAM Kratos wired to a real SMTP server, fast courier polling and dev mode (message bodies visible). */
export async function startMailKratos(pg: TestPostgres, database: string, smtp: TestSmtpServer, overrides: Record<string, unknown> = {}): Promise<MailKratos> {
  const kratos = await startKratos(pg, database, {
    configOverrides: {
      dev: true,
      courier: { smtp: { connection_uri: smtp.connectionUri, from_address: "no-reply@ciam.localhost", from_name: "Olympus" }, worker: { pull_wait: "100ms" } },
      ...overrides,
    },
  });
  return { ...kratos, courier: new CourierApi(new Configuration({ basePath: kratos.adminUrl })) };
}

export function responseOf(error: unknown): { status: number; data: Record<string, unknown> } {
  // @ory/client bundles its own axios, so match the error by shape.
  const response = (error as { response?: { status: number; data: unknown } }).response;
  if (response) return { status: response.status, data: response.data as Record<string, unknown> };
  throw error;
}

export async function expectFailure(promise: Promise<unknown>): Promise<{ status: number; data: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return responseOf(error);
  }
  throw new Error("expected the request to fail");
}

interface AnyFlow {
  state?: unknown;
  ui: { messages?: { id: number }[]; nodes: { group: string; attributes: unknown; messages: { id: number }[] }[] };
}

export const messageIds = (flow: AnyFlow) => (flow.ui.messages ?? []).map((m) => m.id);
export const inputs = (flow: AnyFlow) =>
  flow.ui.nodes.map((n) => ({ group: n.group, ...(n.attributes as UiNodeInputAttributes) }));
export const csrfOf = (flow: AnyFlow) => String(inputs(flow).find((n) => n.name === "csrf_token")?.value ?? "");

export async function createIdentity(kratos: TestKratos, email: string, password?: string) {
  const { data } = await kratos.identity.createIdentity({
    createIdentityBody: {
      schema_id: "default",
      traits: { email },
      ...(password ? { credentials: { password: { config: { password } } } } : {}),
    },
  });
  return data;
}

export { TestSmtpServer };
