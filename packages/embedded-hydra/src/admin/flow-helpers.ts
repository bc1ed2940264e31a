import type { Interaction } from "oidc-provider";
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
