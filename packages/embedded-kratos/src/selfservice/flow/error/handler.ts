import { randomUUID } from "node:crypto";
import type { Router } from "../../../http/router";
import { KratosError } from "../../../http/errors";
import type { ErrorManager } from "./manager";

/** How encoding/json writes a zero time.Time. */
const GO_ZERO_TIME = "0001-01-01T00:00:00Z";

/** GET /self-service/errors?id= — the stored error for the error UI. */
export function registerErrorRoutes(router: Router, manager: ErrorManager): void {
  router.get("/self-service/errors", async (ctx) => {
    // errorx Handler.fetchError: cmp.Or(error, id) — `error` wins when it is not empty.
    const id = ctx.query.get("error") || (ctx.query.get("id") ?? "");
    // errorx/handler.go stub500: a sample error for UI development, in a
    // container with a fresh id and zero (Go's zero time.Time) timestamps.
    if (id === "stub:500") {
      const error = new KratosError(500, { reason: "This is a stub error." }).toBody();
      ctx.json(200, { id: randomUUID(), error, created_at: GO_ZERO_TIME, updated_at: GO_ZERO_TIME });
      return;
    }
    const found = await manager.get(id);
    // ReadErrorContainer's miss is sqlcon.ErrNoRows: the text is the message, there is no reason.
    if (!found) throw new KratosError(404, { message: "Unable to locate the resource" });
    ctx.json(200, found);
  });
}
