import type { Deps } from "../deps";
import type { Router } from "../http/router";
import { adminErrors } from "./errors";
import { goQuery } from "./go-query";
import { parseMigrationPagination, setMigrationLinkHeader } from "./migration-pagination";

/**
 * /schemas and /schemas/{id} (public) and the same under /admin
 * (schema/handler.go getAll and getIdentitySchema): the list is paginated
 * with page/per_page or page_token/page_size and carries X-Total-Count.
 */
export function registerSchemaRoutes(router: Router, deps: Deps, prefix = ""): void {
  router.get(`${prefix}/schemas`, (ctx) => {
    const all = deps.schemas.list();
    const query = goQuery(ctx);
    const { page, perPage } = parseMigrationPagination(query);
    setMigrationLinkHeader(ctx, ctx.path, query, all.length, page, perPage);
    ctx.json(
      200,
      all.slice(page * perPage, (page + 1) * perPage).map((s) => ({ id: s.id, schema: s.document })),
    );
  });
  router.get(`${prefix}/schemas/:id`, (ctx) => {
    const id = ctx.params.id ?? "";
    const schema = deps.schemas.lookup(id);
    if (!schema) throw adminErrors.notFound(`Identity schema \`${id}\` could not be found.`);
    ctx.json(200, schema.document);
  });
}
