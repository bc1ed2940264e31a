import { z } from "zod";
import { nextPageToken } from "../ory/pagination";
import { IAM_ADMIN_ROLES, iamAdminRoleOf, type IamAdminRole } from "../identity/admin-metadata";
import { adminMetadataPatch } from "../identity/admin-metadata-patch";
import { AdminApiError, adminRequest, labelOf, type AdminApi } from "./admin-api";

/** IAM's one identity schema (platform/dev/iam-kratos/identity.admin.schema.json). */
export const IAM_ADMIN_SCHEMA_ID = "admin";

export type EnsureOutcome = "created" | "updated" | "unchanged";

export interface PersonName {
  first: string;
  last: string;
}

export interface IamAdminSpec {
  email: string;
  role: IamAdminRole;
  /** `traits.name` of a new identity; an existing one keeps its own (the person may have changed it). */
  name?: PersonName | undefined;
  /** Development only: a password for a new identity. Production creates none and invites instead. */
  password?: string | undefined;
  /** Mark the address verified on creation (development: the address is the developer's own). */
  verified?: boolean | undefined;
  /**
   * Re-activate a deactivated identity. The dev seeds do; production leaves a
   * deliberate deactivation alone and reports it.
   */
  reactivate?: boolean | undefined;
}

export interface IamAdminResult {
  outcome: EnsureOutcome;
  identityId: string;
  email: string;
  role: IamAdminRole;
  /** The role before this run; undefined for a new identity or one without a role. */
  previousRole: IamAdminRole | undefined;
  active: boolean;
  /** What was created or repaired: "identity", "schema_id", "iam_admin_role", "state". */
  changes: string[];
}

const identityJson = z.looseObject({
  id: z.string(),
  schema_id: z.string(),
  state: z.string().optional(),
  traits: z.unknown(),
  metadata_admin: z.unknown().optional(),
});
type IdentityJson = z.infer<typeof identityJson>;

const ATTEMPTS = 3;

/**
 * Makes `spec.email` an IAM identity with the Athena role `spec.role` in
 * `metadata_admin` (where only the admin API can put it), through the Kratos
 * admin API only. Idempotent: a second run with the same spec reports
 * "unchanged"; a lost or different role, or a schema other than `admin`, is
 * repaired with one JSON Patch guarded by a `test` of what was read, so a
 * concurrent edit is re-read rather than overwritten. The identity's traits,
 * credentials and other metadata are never touched.
 */
export async function ensureIamAdmin(kratos: AdminApi, spec: IamAdminSpec): Promise<IamAdminResult> {
  const email = normalizeEmail(spec.email);
  const found = await findIamIdentityByEmail(kratos, email);
  if (!found) return create(kratos, email, spec);
  let identity: IdentityJson = found;
  const previousRole = iamAdminRoleOf(identity.metadata_admin);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const plan = planRepair(identity, spec, labelOf(kratos), email);
    if (plan.changes.length === 0) {
      return {
        outcome: "unchanged",
        identityId: identity.id,
        email,
        role: spec.role,
        previousRole,
        active: identity.state === "active",
        changes: [],
      };
    }
    const answer = await adminRequest(kratos, "PATCH", `/admin/identities/${encodeURIComponent(identity.id)}`, identityJson, {
      body: plan.patch,
      accept: [200, 400, 409],
    });
    if (answer.status === 200 && answer.body) {
      return {
        outcome: "updated",
        identityId: identity.id,
        email,
        role: spec.role,
        previousRole,
        active: answer.body.state === "active",
        changes: plan.changes,
      };
    }
    // A failed `test`: someone changed the identity since it was read. Read it again and re-plan.
    const reread: { body: IdentityJson | undefined } = await adminRequest(
      kratos,
      "GET",
      `/admin/identities/${encodeURIComponent(identity.id)}`,
      identityJson,
      { accept: [200, 404] },
    );
    if (!reread.body) return create(kratos, email, spec);
    identity = reread.body;
  }
  throw new AdminApiError(
    "unexpected",
    labelOf(kratos),
    409,
    `${labelOf(kratos)} kept refusing to update ${email} (changed concurrently ${ATTEMPTS} times); run again`,
  );
}

async function create(kratos: AdminApi, email: string, spec: IamAdminSpec): Promise<IamAdminResult> {
  const created = await adminRequest(kratos, "POST", "/admin/identities", identityJson, {
    body: {
      schema_id: IAM_ADMIN_SCHEMA_ID,
      state: "active",
      traits: { email, name: spec.name ?? nameFromEmail(email) },
      metadata_admin: { iam_admin_role: spec.role },
      ...(spec.password ? { credentials: { password: { config: { password: spec.password } } } } : {}),
      ...(spec.verified ? { verifiable_addresses: [{ value: email, via: "email", verified: true, status: "completed" }] } : {}),
    },
    accept: [201],
  });
  const id = created.body?.id;
  if (!id)
    throw new AdminApiError("unexpected", labelOf(kratos), created.status, `${labelOf(kratos)} created ${email} but returned no identity`);
  return { outcome: "created", identityId: id, email, role: spec.role, previousRole: undefined, active: true, changes: ["identity"] };
}

interface PatchOperation {
  op: "add" | "remove" | "replace";
  path: string;
  value?: unknown;
}

/**
 * Kratos' identity PATCH refuses `test` operations, so the repair cannot be
 * guarded by what was read: it writes only the fields (and the one
 * metadata_admin key) that need repair, leaving the rest to whoever changed it.
 */
function planRepair(
  identity: IdentityJson,
  spec: IamAdminSpec,
  api: string,
  email: string,
): { patch: PatchOperation[]; changes: string[] } {
  const patch: PatchOperation[] = [];
  const changes: string[] = [];
  if (identity.schema_id !== IAM_ADMIN_SCHEMA_ID) {
    patch.push({ op: "replace", path: "/schema_id", value: IAM_ADMIN_SCHEMA_ID });
    changes.push("schema_id");
  }
  if (iamAdminRoleOf(identity.metadata_admin) !== spec.role) {
    const metadata = identity.metadata_admin ?? null;
    if (metadata !== null && (typeof metadata !== "object" || Array.isArray(metadata))) {
      throw new AdminApiError(
        "unexpected",
        api,
        undefined,
        `metadata_admin of ${email} (${identity.id}) is not a JSON object; fix it in Athena IAM, then run again`,
      );
    }
    patch.push(...adminMetadataPatch(metadata, { ...(metadata ?? {}), iam_admin_role: spec.role }));
    changes.push("iam_admin_role");
  }
  // Any state but `active` cannot sign in (identity.IsActive); a web hook may have stored one of its own.
  if (identity.state !== "active" && spec.reactivate) {
    patch.push({ op: "replace", path: "/state", value: "active" });
    changes.push("state");
  }
  return { patch, changes };
}

/**
 * The IAM identity whose email is `email`. Kratos finds identities by their
 * credentials' identifiers; an invited employee who has not chosen a password
 * yet may have none, so the traits are searched too. Two identities with one
 * address is a data problem an operator must resolve, not something to guess.
 */
export async function findIamIdentityByEmail(kratos: AdminApi, email: string): Promise<IdentityJson | undefined> {
  const wanted = normalizeEmail(email);
  const byIdentifier = await adminRequest(
    kratos,
    "GET",
    `/admin/identities?credentials_identifier=${encodeURIComponent(wanted)}`,
    z.array(identityJson),
  );
  const found = byIdentifier.body ?? [];
  if (found.length > 0) return onlyOne(kratos, wanted, found);
  const matches: IdentityJson[] = [];
  let pageToken: string | undefined;
  do {
    const query = new URLSearchParams({ page_size: "250" });
    if (pageToken) query.set("page_token", pageToken);
    const page = await adminRequest(kratos, "GET", `/admin/identities?${query.toString()}`, z.array(identityJson));
    for (const identity of page.body ?? []) if (emailOf(identity) === wanted) matches.push(identity);
    pageToken = nextPageToken(page.link);
  } while (pageToken);
  return onlyOne(kratos, wanted, matches);
}

function onlyOne(kratos: AdminApi, email: string, identities: IdentityJson[]): IdentityJson | undefined {
  if (identities.length > 1) {
    throw new AdminApiError(
      "unexpected",
      labelOf(kratos),
      undefined,
      `${identities.length} IAM identities carry ${email} (${identities.map((i) => i.id).join(", ")}); delete the extra ones in Athena IAM, then run again`,
    );
  }
  return identities[0];
}

function emailOf(identity: IdentityJson): string | undefined {
  const traits = identity.traits;
  if (typeof traits !== "object" || traits === null) return undefined;
  const email = (traits as { email?: unknown }).email;
  return typeof email === "string" ? normalizeEmail(email) : undefined;
}

/** Kratos compares email identifiers case-insensitively; so does everything here. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** `jane.doe@…` → Jane Doe: a starting point the person can change in their settings. */
export function nameFromEmail(email: string): PersonName {
  const words = (email.split("@")[0] ?? "")
    .split(/[._+-]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  return { first: (words[0] ?? "Admin").slice(0, 100), last: words.slice(1).join(" ").slice(0, 100) };
}

/** Whether `next` grants less than `previous` (Athena roles in increasing power). */
export function isDemotion(previous: IamAdminRole | undefined, next: IamAdminRole): boolean {
  return previous !== undefined && IAM_ADMIN_ROLES.indexOf(next) < IAM_ADMIN_ROLES.indexOf(previous);
}
