import type { Deps } from "../deps";
import { errors } from "../http/errors";
import type { Router } from "../http/router";

/** /schemas and /schemas/{id} (public) and the same under /admin. */
export function registerSchemaRoutes(router: Router, deps: Deps, prefix = ""): void {
  router.get(`${prefix}/schemas`, (ctx) => {
    ctx.json(200, deps.schemas.list().map((s) => ({ id: s.id, schema: s.document })));
  });
  router.get(`${prefix}/schemas/:id`, (ctx) => {
    const schema = deps.schemas.lookup(ctx.params.id ?? "");
    if (!schema) throw errors.notFound("The requested resource could not be found");
    ctx.json(200, schema.document);
  });
}
