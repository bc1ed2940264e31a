import type { Deps } from "../../deps";
import { readSubmission } from "../../http/body";
import type { HttpContext } from "../../http/context";
import { errors } from "../../http/errors";
import type { Router } from "../../http/router";
import { FlowValidationError, type StrategyContext } from "../strategy/strategy";
import { activeStrategy } from "./address-flow";
import type { FlowDefinition } from "./definition";
import {
  checkCsrf,
  createFlow,
  fetchFlowHandler,
  handleExpired,
  loadFlowForSubmit,
  requireEnabled,
  respondWithFlow,
  respondWithNewFlow,
  respondWithValidationError,
  returnToFromQuery,
  submittedMethod,
} from "./engine";
import { isExpired, type FlowType } from "./flow";

/**
 * Routes of recovery and verification. Submissions go to the strategy named
 * by `use`; until a code/link strategy registers they answer 400 with the
 * "no strategy" message (4010005 / 4010006).
 */
export function registerAddressFlowRoutes(router: Router, deps: Deps, def: FlowDefinition, options: { forbidSession: boolean }): void {
  const kind = def.kind as "recovery" | "verification";
  const init = async (ctx: HttpContext, type: FlowType) => {
    requireEnabled(deps, def);
    const returnTo = returnToFromQuery(deps, ctx);
    const session = await deps.sessions.fromRequest(ctx);
    if (options.forbidSession && session) {
      if (type === "browser" && !ctx.acceptsJson) {
        ctx.redirect(returnTo ?? deps.config.selfservice.default_browser_return_url);
        return;
      }
      throw errors.alreadyLoggedIn();
    }
    const flow = await createFlow(deps, def, ctx, type, { returnTo, strategy: { session } });
    await respondWithNewFlow(deps, def, ctx, flow);
  };
  router.get(`/self-service/${kind}/browser`, (ctx) => init(ctx, "browser"));
  router.get(`/self-service/${kind}/api`, (ctx) => init(ctx, "api"));
  router.get(`/self-service/${kind}/flows`, (ctx) => fetchFlowHandler(deps, def, ctx));
  router.on(["POST", "GET"], `/self-service/${kind}`, async (ctx) => {
    requireEnabled(deps, def);
    const flow = await loadFlowForSubmit(deps, def, ctx);
    const body = ctx.method === "GET" ? Object.fromEntries(ctx.query) : await readSubmission(ctx);
    const session = await deps.sessions.fromRequest(ctx);
    const sctx: StrategyContext = { deps, http: ctx, session };
    if (isExpired(flow)) return handleExpired(deps, def, ctx, flow, { session });
    // Links opened from an email carry no CSRF token; the strategy verifies those itself.
    if (ctx.method !== "GET") checkCsrf(deps, ctx, flow, body);
    const strategy = activeStrategy(deps, kind);
    const method = submittedMethod(body, ctx);
    try {
      if (!strategy || (method !== "" && method !== deps.config.selfservice.flows[kind].use)) throw FlowValidationError.flow(def.noStrategyMessage());
      const result = await strategy.submit(flow, body, sctx);
      if (result.kind === "responded") return;
      flow.active = deps.config.selfservice.flows[kind].use;
      await deps.flows.save(flow);
      await respondWithFlow(deps, def, ctx, flow);
    } catch (error) {
      if (error instanceof FlowValidationError) {
        await respondWithValidationError(deps, def, ctx, flow, body, error, sctx);
        return;
      }
      throw error;
    }
  });
}
