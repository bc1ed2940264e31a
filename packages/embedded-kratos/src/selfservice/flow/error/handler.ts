import type { Router } from "../../../http/router";
import { errors } from "../../../http/errors";
import type { ErrorManager } from "./manager";

/** GET /self-service/errors?id= — the stored error for the error UI. */
export function registerErrorRoutes(router: Router, manager: ErrorManager): void {
  router.get("/self-service/errors", async (ctx) => {
    const id = ctx.query.get("id") ?? "";
    // Kratos keeps a fixed sample error for UI development.
    if (id === "stub:500") {
      ctx.json(200, { id, error: errors.internal().toBody() });
      return;
    }
    const found = await manager.get(id);
    if (!found) throw errors.notFound("Unable to locate the resource");
    ctx.json(200, found);
  });
}
