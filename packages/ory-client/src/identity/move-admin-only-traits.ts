import { z } from "zod";
import type { Domain } from "@olympus/runtime-config/config";
import { nextPageToken } from "../ory/pagination";
import { ADMIN_ONLY_KEYS } from "./admin-metadata";
import { adminMetadataPatch, escapePointerToken, type MetadataPatchOperation } from "./admin-metadata-patch";

/**
 * The migration that takes admin-only attributes out of traits (where a
 * person could edit them through Kratos' settings flow) and into
 * `metadata_admin`: `iam_admin_role` on IAM, `customer_id` and `loyalty_tier`
 * on CIAM. It talks to the Kratos admin API only, so it runs the same against
 * the real Kratos (production: the `identities:move-admin-only-traits` script)
 * and the embedded one (the dev stack's seeds, on every start).
 *
 * Idempotent: an identity without those traits is left alone, so a second
 * run changes nothing. When `metadata_admin` already holds a key, that value
 * is the administrators' and wins; the trait is dropped. Each change is one
 * JSON Patch that removes the traits and writes only the moved keys of
 * `metadata_admin` (Kratos refuses `test` operations, so a patch cannot be
 * guarded by what was read; writing key by key keeps other keys someone
 * changed meanwhile). A patch Kratos refuses (e.g. the trait vanished
 * meanwhile) is retried from a fresh read.
 */

export interface MoveAdminOnlyTraitsOptions {
  domain: Domain;
  /** This domain's Kratos admin API, e.g. http://127.0.0.1:4101. */
  kratosAdminUrl: string;
  /** Bearer token the admin API requires, when configured. */
  adminToken?: string | undefined;
  pageSize?: number;
}

export interface MovedIdentity {
  id: string;
  schemaId: string;
  /** Values moved from traits into metadata_admin (review IAM roles: a person may have set theirs). */
  moved: Record<string, unknown>;
  /** Traits dropped because metadata_admin already had that key. */
  dropped: string[];
}

export interface MoveAdminOnlyTraitsReport {
  scanned: number;
  moved: MovedIdentity[];
  /** Identities Kratos would not change (the reason is Kratos' own). */
  failed: { id: string; reason: string }[];
}

const identitySchema = z.looseObject({
  id: z.string(),
  schema_id: z.string(),
  traits: z.unknown(),
  metadata_admin: z.unknown().optional(),
});
type IdentityJson = z.infer<typeof identitySchema>;

const ATTEMPTS = 3;

export async function moveAdminOnlyTraits(options: MoveAdminOnlyTraitsOptions): Promise<MoveAdminOnlyTraitsReport> {
  const admin = new KratosAdminApi(options.kratosAdminUrl, options.adminToken);
  const keys = ADMIN_ONLY_KEYS[options.domain];
  const report: MoveAdminOnlyTraitsReport = { scanned: 0, moved: [], failed: [] };
  let pageToken: string | undefined;
  do {
    const page = await admin.listIdentities(options.pageSize ?? 250, pageToken);
    for (const listed of page.identities) {
      report.scanned++;
      if (!carriesAny(listed, keys)) continue;
      const outcome = await moveOne(admin, listed, keys);
      if ("reason" in outcome) report.failed.push({ id: listed.id, reason: outcome.reason });
      else if (outcome.moved) report.moved.push(outcome.moved);
    }
    pageToken = page.nextPageToken;
  } while (pageToken);
  return report;
}

async function moveOne(
  admin: KratosAdminApi,
  listed: IdentityJson,
  keys: readonly string[],
): Promise<{ moved: MovedIdentity | undefined } | { reason: string }> {
  let identity: IdentityJson | undefined = listed;
  let lastReason = "";
  for (let attempt = 0; attempt < ATTEMPTS && identity; attempt++) {
    const plan = planMove(identity, keys);
    if (!plan) return { moved: undefined };
    if ("reason" in plan) return plan;
    const answer = await admin.patchIdentity(identity.id, plan.patch);
    if (answer.ok) return { moved: plan.moved };
    lastReason = answer.reason;
    // A refused patch (e.g. someone changed the identity meanwhile): read again and re-plan.
    identity = await admin.getIdentity(identity.id);
  }
  return identity ? { reason: lastReason } : { moved: undefined };
}

type PatchOperation = MetadataPatchOperation;

type Plan = { patch: PatchOperation[]; moved: MovedIdentity } | { reason: string } | undefined;

function planMove(identity: IdentityJson, keys: readonly string[]): Plan {
  const traits = asObject(identity.traits);
  const present = keys.filter((key) => traits !== undefined && Object.hasOwn(traits, key));
  if (!traits || present.length === 0) return undefined;
  const metadata = identity.metadata_admin ?? null;
  const current = metadata === null ? {} : asObject(metadata);
  if (!current) return { reason: "metadata_admin is not a JSON object; move the traits by hand" };

  const moved: Record<string, unknown> = {};
  const dropped: string[] = [];
  const patch: PatchOperation[] = [];
  for (const key of present) {
    patch.push({ op: "remove", path: `/traits/${escapePointerToken(key)}` });
    if (Object.hasOwn(current, key)) dropped.push(key);
    else moved[key] = traits[key];
  }
  patch.push(...adminMetadataPatch(metadata, { ...current, ...moved }));
  return { patch, moved: { id: identity.id, schemaId: identity.schema_id, moved, dropped } };
}

function carriesAny(identity: IdentityJson, keys: readonly string[]): boolean {
  const traits = asObject(identity.traits);
  return traits !== undefined && keys.some((key) => Object.hasOwn(traits, key));
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

const errorBody = z.object({ error: z.object({ reason: z.string().optional(), message: z.string().optional() }).loose() }).loose();

/** The three admin calls the migration needs, over fetch (no server-only SDK, so any Node process can run it). */
class KratosAdminApi {
  private readonly base: string;

  constructor(
    adminUrl: string,
    private readonly token: string | undefined,
  ) {
    this.base = adminUrl.replace(/\/+$/, "");
  }

  async listIdentities(
    pageSize: number,
    pageToken: string | undefined,
  ): Promise<{ identities: IdentityJson[]; nextPageToken: string | undefined }> {
    const query = new URLSearchParams({ page_size: String(pageSize) });
    if (pageToken) query.set("page_token", pageToken);
    const response = await this.request("GET", `/admin/identities?${query.toString()}`);
    if (response.status !== 200) throw await this.failure("list identities", response);
    const identities = z.array(identitySchema).parse(await response.json());
    return { identities, nextPageToken: nextPageToken(response.headers.get("link")) };
  }

  async getIdentity(id: string): Promise<IdentityJson | undefined> {
    const response = await this.request("GET", `/admin/identities/${encodeURIComponent(id)}`);
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw await this.failure(`read identity ${id}`, response);
    return identitySchema.parse(await response.json());
  }

  async patchIdentity(id: string, patch: PatchOperation[]): Promise<{ ok: true } | { ok: false; reason: string }> {
    const response = await this.request("PATCH", `/admin/identities/${encodeURIComponent(id)}`, patch);
    if (response.status === 200) {
      await response.body?.cancel();
      return { ok: true };
    }
    if (response.status === 400 || response.status === 409 || response.status === 404)
      return { ok: false, reason: await reasonOf(response) };
    throw await this.failure(`change identity ${id}`, response);
  }

  private request(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.base}${path}`, {
      method,
      headers: {
        Accept: "application/json",
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
  }

  private async failure(what: string, response: Response): Promise<Error> {
    return new Error(`Kratos admin API: could not ${what}: ${response.status} ${await reasonOf(response)}`);
  }
}

async function reasonOf(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const parsed = errorBody.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data.error.reason ?? parsed.data.error.message ?? text.slice(0, 200);
  } catch {
    // not JSON: fall through
  }
  return text.slice(0, 200);
}
