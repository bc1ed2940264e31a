import type { Deps } from "../deps";
import { KratosError } from "../http/errors";
import { compactJson, JsonText } from "../http/json-text";
import type { Router } from "../http/router";
import type { IdentitySchema } from "../identity/schema-registry";
import { adminErrors } from "./errors";
import { goQuery } from "./go-query";
import { parseMigrationPagination, setMigrationLinkHeader } from "./migration-pagination";

/**
 * /schemas and /schemas/{id} (public) and the same under /admin
 * (schema/handler.go getAll and getIdentitySchema): the list is paginated
 * with page/per_page or page_token/page_size and carries X-Total-Count.
 * Each answer reads the schema file again (ReadSchema: os.ReadFile) and
 * writes its text as a json.RawMessage — compacted, keys and numbers as the
 * file has them.
 */

/** herodot.ErrMisconfiguration (500) with `reason`. */
const misconfiguration = (reason: string) =>
  new KratosError(500, { id: "invalid_configuration", message: "Invalid configuration", reason });

/** The file's text as a json.RawMessage; a file that no longer holds JSON cannot be marshalled (herodot's 500). */
async function rawSchema(deps: Deps, schema: IdentitySchema): Promise<JsonText> {
  const text = await deps.schemas.documentText(schema);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new KratosError(500, {});
  }
  return new JsonText(compactJson(text.trim()), value);
}

const isNotFound = (error: unknown) => error instanceof Error && "code" in error && error.code === "ENOENT";

export function registerSchemaRoutes(router: Router, deps: Deps, prefix = ""): void {
  router.get(`${prefix}/schemas`, async (ctx) => {
    const all = deps.schemas.list();
    const query = goQuery(ctx);
    const { page, perPage } = parseMigrationPagination(query);
    const items = [];
    for (const schema of all.slice(page * perPage, (page + 1) * perPage)) {
      // getAll: any failure to read one of the page's files is the same misconfiguration.
      const raw = await rawSchema(deps, schema).catch((error: unknown) => {
        if (error instanceof KratosError) throw error;
        throw misconfiguration("The file for a JSON Schema ID could not be found or opened. This is a configuration issue.");
      });
      items.push({ id: schema.id, schema: raw });
    }
    setMigrationLinkHeader(ctx, ctx.path, query, all.length, page, perPage);
    ctx.json(200, items);
  });
  router.get(`${prefix}/schemas/:id`, async (ctx) => {
    const id = ctx.params.id ?? "";
    const schema = deps.schemas.lookup(id);
    if (!schema) throw adminErrors.notFound(`Identity schema \`${id}\` could not be found.`);
    const raw = await rawSchema(deps, schema).catch((error: unknown) => {
      if (error instanceof KratosError) throw error;
      // getIdentitySchema tells a missing file from one that cannot be read.
      if (isNotFound(error))
        throw misconfiguration("The file for this JSON Schema ID could not be found/fetched. This is a configuration issue.");
      throw new KratosError(500, { reason: "The file for this JSON Schema ID could not be read. This is an I/O issue." });
    });
    ctx.json(200, raw);
  });
}
