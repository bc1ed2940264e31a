import { z } from "zod";
import type { HydraContext } from "../context";
import { HydraError, sendJson } from "../errors";
import { readJson } from "../http";
import { ID_TOKEN_KEY_SET, publicJwk } from "../storage/keys-repo";
import type { AdminRouter } from "./router";

const URL_SAFE_NAME = /^[A-Za-z0-9._~:-]+$/;

const createKeySchema = z.object({
  alg: z.literal("RS256", { message: 'only alg "RS256" keys can be generated' }).optional().default("RS256"),
  use: z.literal("sig", { message: 'only use "sig" keys can be generated' }).optional().default("sig"),
  // A kid is addressed in URL paths (/admin/keys/{set}/{kid}) and JWT headers: URL-safe characters only.
  kid: z.string().min(1).max(255).regex(URL_SAFE_NAME, "kid may only contain letters, digits and . _ ~ : -").optional(),
});

/**
 * JSON Web Key sets. Only public members are returned (Hydra's admin API
 * also returns private keys; nothing in Olympus needs them outside the server).
 */
export function registerKeyRoutes(router: AdminRouter, hctx: HydraContext): void {
  router.add("GET", "/admin/keys/:set", async ({ params, res }) => {
    const keys = await hctx.keys.list(params.set ?? "");
    if (keys.length === 0) throw HydraError.notFound("The requested JSON Web Key Set does not exist.");
    sendJson(res, 200, { keys: keys.map(publicJwk) });
  });

  router.add("GET", "/admin/keys/:set/:kid", async ({ params, res }) => {
    const keys = await hctx.keys.list(params.set ?? "");
    const key = keys.find((candidate) => candidate.kid === params.kid);
    if (!key) throw HydraError.notFound("The requested JSON Web Key does not exist.");
    sendJson(res, 200, { keys: [publicJwk(key)] });
  });

  // Creating a key in a set rotates it: the new key signs, older keys stay published for verification.
  router.add("POST", "/admin/keys/:set", async ({ req, params, res }) => {
    const parsed = createKeySchema.safeParse(await readJson(req));
    if (!parsed.success) throw HydraError.badRequest(parsed.error.issues.map((issue) => issue.message).join("; "));
    const setId = params.set ?? "";
    if (!URL_SAFE_NAME.test(setId) || setId.length > 255) throw HydraError.badRequest("A key set name may only contain letters, digits and . _ ~ : - (at most 255)");
    const existing = await hctx.keys.list(setId);
    if (parsed.data.kid && existing.some((key) => key.kid === parsed.data.kid)) {
      throw new HydraError(409, "conflict", `A key with kid ${parsed.data.kid} already exists in ${setId}`);
    }
    const key = await hctx.keys.rotate(setId, parsed.data.kid);
    if (setId === ID_TOKEN_KEY_SET) await hctx.reloadProvider();
    sendJson(res, 201, { keys: [publicJwk(key)] });
  });

  router.add("DELETE", "/admin/keys/:set/:kid", async ({ params, res }) => {
    const setId = params.set ?? "";
    const keys = await hctx.keys.list(setId);
    if (!keys.some((key) => key.kid === params.kid)) throw HydraError.notFound("The requested JSON Web Key does not exist.");
    if (setId === ID_TOKEN_KEY_SET && keys.length === 1) {
      throw HydraError.badRequest("The last ID token signing key cannot be deleted; create a new key first.");
    }
    await hctx.keys.deleteKey(setId, params.kid ?? "");
    if (setId === ID_TOKEN_KEY_SET) await hctx.reloadProvider();
    res.writeHead(204).end();
  });
}
