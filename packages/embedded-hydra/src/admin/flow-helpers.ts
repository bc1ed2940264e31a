import type { Interaction, InteractionResults } from "oidc-provider";
import type { HydraContext } from "../context";
import { HydraError, sendJson } from "../errors";
import type { Flow, FlowKind } from "../storage/flows-repo";
import type { AdminRequest } from "./router";
import { requiredQuery } from "./router";

/** Loads a challenge; 404 if unknown or expired. */
export async function loadFlow(hctx: HydraContext, kind: FlowKind, url: URL): Promise<Flow> {
  const challenge = requiredQuery(url, `${kind}_challenge`);
  const flow = await hctx.flows.get(kind, challenge);
  if (!flow) throw HydraError.notFound(`The ${kind} request could not be found or has expired.`);
  return flow;
}

/** Hydra answers a GET on an already handled request with 410 and where the browser went. */
export function sendIfHandled(flow: Flow, res: AdminRequest["res"]): boolean {
  if (flow.state === "pending") return false;
  sendJson(res, 410, { redirect_to: String(flow.handled?.redirect_to ?? "") });
  return true;
}

export function assertPending(flow: Flow): void {
  if (flow.state !== "pending") {
    throw new HydraError(409, "conflict", `The ${flow.kind} request has already been handled.`);
  }
}

/** The oidc-provider interaction behind a login or consent challenge. */
export async function loadInteraction(hctx: HydraContext, flow: Flow): Promise<Interaction> {
  const interaction = flow.interactionUid ? await hctx.provider().Interaction.find(flow.interactionUid) : undefined;
  if (!interaction) throw HydraError.notFound(`The authorization request behind this ${flow.kind} request has expired.`);
  return interaction;
}

/** Stores the UI's decision where oidc-provider's resume endpoint will read it. */
export async function finishInteraction(interaction: Interaction, result: InteractionResults): Promise<void> {
  interaction.result = result;
  const remaining = Math.max((interaction.exp ?? 0) - Math.floor(Date.now() / 1000), 1);
  await interaction.save(remaining);
}

/** Hydra's RequestDeniedError body, shared by every reject endpoint. */
export function rejection(body: unknown): { error: string; error_description: string } {
  const fields = (body ?? {}) as Record<string, unknown>;
  const error = typeof fields.error === "string" && fields.error ? fields.error : "access_denied";
  const parts = [fields.error_description, fields.error_hint].filter((part): part is string => typeof part === "string" && part !== "");
  return { error, error_description: parts.join(" ") || "The resource owner denied the request" };
}
