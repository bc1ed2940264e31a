import type { UiNodeInputAttributes } from "@ory/client";

/** Helpers for reading flow and error JSON in tests, whatever client produced it. */

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
export const inputs = (flow: AnyFlow) => flow.ui.nodes.map((n) => ({ group: n.group, ...(n.attributes as UiNodeInputAttributes) }));
/** The flow's CSRF token ("" when it has none); needs only the nodes' attributes. */
export function csrfOf(flow: { ui: { nodes: { attributes: unknown }[] } }): string {
  const value: unknown = flow.ui.nodes
    .map((n) => n.attributes as Partial<UiNodeInputAttributes>)
    .find((a) => a.name === "csrf_token")?.value;
  return typeof value === "string" ? value : "";
}
