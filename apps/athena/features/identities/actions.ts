"use server";

import { z } from "zod";
import { KratosRejection } from "@olympus/ory-client/admin";
import { adminMetadataPatch, customerAdminMetadata, IAM_ADMIN_ROLES, iamAdminRoleOf } from "@olympus/ory-client/identity";
import { adminAction } from "@/shared/server/action";
import { AdminActionError } from "@/shared/server/action-result";
import { athenaConfig } from "@/shared/server/config";
import { kratosAdmin } from "@/shared/server/ory";
import { revokeAccess } from "./revoke-access";
import { takenIdentifierFields } from "./create/taken-identifiers";
import { activateIdentity, deactivateIdentity, deleteIdentityEverywhere, kratosCall, revokeEverySession } from "./operations";
import { asRecord, isRecord } from "@/shared/json";
import { sendInvitation } from "./invitation/send";

const identityId = z.uuid();
const jsonObject = z.record(z.string(), z.unknown());

const kratos = kratosCall;

export const createIdentity = adminAction(
  {
    action: "identity.create",
    input: z.object({
      schemaId: z.string().min(1).max(64),
      traits: jsonObject,
      password: z.string().min(8).max(256).optional(),
      state: z.enum(["active", "inactive"]).default("active"),
      invite: z.boolean().default(false),
    }),
  },
  async (input) => {
    const identity = await kratosAdmin()
      .createIdentity({
        schema_id: input.schemaId,
        traits: input.traits,
        state: input.state,
        ...(input.password ? { credentials: { password: { config: { password: input.password } } } } : {}),
      })
      .catch(async (error: unknown) => {
        if (error instanceof KratosRejection && error.status === 409) {
          // Kratos' conflict names no field: find the identifier another identity already has, for the form to show beside it.
          const fields = await takenIdentifierFields(input.schemaId, input.traits).catch(() => ({}));
          const first = Object.values(fields)[0];
          throw first
            ? new AdminActionError(first, fields)
            : new AdminActionError("An identity with the same email, phone or username exists already.");
        }
        if (error instanceof KratosRejection) throw new AdminActionError(error.message);
        throw error;
      });
    let invited = false;
    let inviteProblem: string | undefined;
    if (input.invite) {
      // The identity exists whatever happens to the mail: a failed invitation is a warning, and can be sent again from its page.
      try {
        await sendInvitation(identity);
        invited = true;
      } catch (error) {
        inviteProblem = error instanceof AdminActionError ? error.message : "The invitation could not be sent.";
      }
    }
    return {
      data: { id: identity.id },
      target: identity.id,
      details: { schema: input.schemaId, withPassword: Boolean(input.password), invited },
      message: invited
        ? "Identity created; an invitation mail is on its way."
        : inviteProblem
          ? `Identity created, but no invitation was sent. ${inviteProblem}`
          : "Identity created.",
      ...(inviteProblem ? { warning: true } : {}),
    };
  },
);

export const updateTraits = adminAction(
  { action: "identity.update_traits", input: z.object({ id: identityId, traits: jsonObject }), target: (i) => i.id },
  async ({ id, traits }) => {
    const current = await kratosAdmin().getIdentity(id);
    if (!current) throw new AdminActionError("This identity no longer exists.");
    await kratos(() =>
      kratosAdmin().updateIdentity(id, {
        schema_id: current.schema_id,
        state: current.state ?? "active",
        traits,
        metadata_public: current.metadata_public ?? undefined,
        metadata_admin: current.metadata_admin ?? undefined,
      }),
    );
    const changed = Object.keys({ ...asRecord(current.traits), ...traits }).filter(
      (k) => JSON.stringify(asRecord(current.traits)[k]) !== JSON.stringify(traits[k]),
    );
    return { data: null, details: { changed }, message: "Traits saved." };
  },
);

const metadataText = z
  .string()
  .max(65_536)
  .transform((text, ctx) => {
    if (text.trim() === "") return null;
    try {
      const value: unknown = JSON.parse(text);
      const parsed = jsonObject.safeParse(value);
      if (parsed.success) return parsed.data;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: "custom", message: "must be a JSON object (or empty)" });
    return z.NEVER;
  });

export const updateMetadata = adminAction(
  {
    action: "identity.update_metadata",
    input: z.object({ id: identityId, metadataPublic: metadataText, metadataAdmin: metadataText }),
    target: (i) => i.id,
  },
  async ({ id, metadataPublic, metadataAdmin }) => {
    const current = await kratosAdmin().getIdentity(id);
    if (!current) throw new AdminActionError("This identity no longer exists.");
    checkAdminMetadata(current.metadata_admin, metadataAdmin);
    await kratos(() =>
      kratosAdmin().patchIdentity(id, [
        // `add`, not `replace`: Kratos leaves unset metadata out of the patched document.
        { op: "add", path: "/metadata_public", value: metadataPublic },
        // Key by key (Kratos refuses `test`, so a patch cannot be guarded by what was read): a key
        // someone else changed meanwhile survives, and the Athena role is only ever written by setAdminRole.
        ...adminMetadataPatch(current.metadata_admin ?? null, metadataAdmin, {
          leave: athenaConfig().domain === "iam" ? ["iam_admin_role"] : [],
        }),
      ]),
    );
    return { data: null, message: "Metadata saved." };
  },
);

/**
 * The rules for admin metadata per domain. IAM: the Athena role is changed
 * only with setAdminRole, which also ends the person's Hydra logins and
 * consents. CIAM: business attributes keep the rules they had as traits.
 */
function checkAdminMetadata(stored: unknown, submitted: Record<string, unknown> | null): void {
  if (athenaConfig().domain === "iam") {
    const before = JSON.stringify(asRecord(stored).iam_admin_role ?? null);
    const after = JSON.stringify(submitted?.iam_admin_role ?? null);
    if (before !== after)
      throw new AdminActionError("Change the Athena role with the Role form: it also signs the person out of IAM's apps.");
    return;
  }
  const parsed = customerAdminMetadata.safeParse(submitted ?? {});
  if (!parsed.success) {
    throw new AdminActionError(
      `Admin metadata: ${parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}.`,
    );
  }
}

/**
 * Grants, changes or removes an employee's Athena role
 * (`metadata_admin.iam_admin_role`, which only the admin API can write), on
 * Athena IAM only. The change then ends the employee's IAM Hydra consents
 * (and with them every token) and login sessions: each Athena re-validates
 * its session with an IAM Hydra refresh, which now fails, so the old role
 * stops working at the next re-validation, and the next sign-in carries the new one.
 */
export const setAdminRole = adminAction(
  { action: "identity.set_role", input: z.object({ id: identityId, role: z.enum(IAM_ADMIN_ROLES).nullable() }), target: (i) => i.id },
  async ({ id, role }, { admin }) => {
    if (athenaConfig().domain !== "iam") throw new AdminActionError("Athena roles belong to IAM employees: change them in Athena IAM.");
    if (id === admin.id) throw new AdminActionError("You cannot change your own role; ask another admin.");
    const identity = await kratosAdmin().getIdentity(id);
    if (!identity) throw new AdminActionError("This identity no longer exists.");
    const stored: unknown = identity.metadata_admin ?? null;
    if (stored !== null && !isRecord(stored))
      throw new AdminActionError("This identity's admin metadata is not a JSON object; fix it in the Metadata form first.");
    const from = iamAdminRoleOf(stored) ?? null;
    const { iam_admin_role: _previous, ...rest } = asRecord(stored);
    const next = role ? { ...rest, iam_admin_role: role } : rest;
    // Only the role key is written: other admin metadata changed meanwhile stays as it is.
    const patch = adminMetadataPatch(stored, next);
    if (patch.length > 0) await kratos(() => kratosAdmin().patchIdentity(id, patch));
    const revoked = await revokeAccess(id, { kratosSessions: false });
    return {
      data: { role },
      details: { from, to: role, revoked },
      message: role
        ? `Role set to ${role}; the person signs in again to use it.`
        : "Role removed; the person no longer has access to Athena.",
    };
  },
);

export const setIdentityState = adminAction(
  { action: "identity.set_state", input: z.object({ id: identityId, state: z.enum(["active", "inactive"]) }), target: (i) => i.id },
  async ({ id, state }, { admin }) => {
    if (state === "active") {
      await activateIdentity(id);
      return { data: null, details: { state }, message: "Identity activated." };
    }
    const revoked = await deactivateIdentity(id, admin.id);
    return { data: null, details: { state, revoked }, message: "Identity deactivated; its sessions and tokens are revoked." };
  },
);

export const deleteIdentity = adminAction(
  { action: "identity.delete", input: z.object({ id: identityId, confirmation: z.string() }), target: (i) => i.id },
  async ({ id, confirmation }, { admin }) => {
    const identity = await kratosAdmin().getIdentity(id);
    if (!identity) throw new AdminActionError("This identity no longer exists.");
    const expected = asRecord(identity.traits).email;
    if (confirmation !== (typeof expected === "string" ? expected : id))
      throw new AdminActionError("The confirmation text does not match.");
    const { schema, revoked } = await deleteIdentityEverywhere(id, admin.id);
    return { data: null, details: { schema, revoked }, message: "Identity deleted; its sessions and tokens are revoked." };
  },
);

export const sendRecoveryEmail = adminAction(
  { action: "identity.send_recovery", input: z.object({ id: identityId }), target: (i) => i.id },
  async ({ id }) => {
    const identity = await kratosAdmin().getIdentity(id);
    const address = identity?.recovery_addresses?.[0]?.value;
    if (!address) throw new AdminActionError("This identity has no recovery address.");
    // Kratos mails what the domain's recovery flow uses (a code, or a link).
    const method = await kratos(() => kratosAdmin().sendRecoveryEmail(address, "link"));
    return { data: { method }, details: { method, via: "email" }, message: `Recovery ${method} mailed to ${address}.` };
  },
);

export const inviteIdentity = adminAction(
  { action: "identity.invite", input: z.object({ id: identityId }), target: (i) => i.id },
  async ({ id }) => {
    const identity = await kratos(() => kratosAdmin().getIdentity(id));
    if (!identity) throw new AdminActionError("This identity does not exist (deleted meanwhile?).");
    const { to, expiresAt } = await sendInvitation(identity);
    // The link is the person's secret: neither returned nor audited.
    return { data: { to }, details: { to, expiresAt }, message: `Invitation mailed to ${to}.` };
  },
);

export const createRecoveryLink = adminAction(
  {
    action: "identity.create_recovery",
    input: z.object({ id: identityId, method: z.enum(["code", "link"]), expiresIn: z.enum(["15m", "1h", "24h"]).default("1h") }),
    target: (i) => i.id,
  },
  async ({ id, method, expiresIn }) => {
    const result =
      method === "code"
        ? await kratos(() => kratosAdmin().createRecoveryCode(id, expiresIn))
        : { ...(await kratos(() => kratosAdmin().createRecoveryLink(id, expiresIn))), code: undefined };
    return {
      data: { link: result.link, code: result.code ?? null, expiresAt: result.expiresAt ?? null },
      // The link and code are secrets for the person: never in the audit log.
      details: { method, expiresIn },
      message: `Recovery ${method} created; hand it over through a trusted channel.`,
    };
  },
);

export const revokeIdentitySessions = adminAction(
  { action: "identity.revoke_sessions", input: z.object({ id: identityId }), target: (i) => i.id },
  async ({ id }) => {
    const revoked = await revokeEverySession(id);
    return {
      data: null,
      details: { revoked },
      message: "All sessions of this identity were revoked. Apps it signed in to lost their tokens.",
    };
  },
);

export const revokeSession = adminAction(
  { action: "session.revoke", input: z.object({ sessionId: z.uuid() }), target: (i) => i.sessionId },
  async ({ sessionId }) => {
    await kratosAdmin().disableSession(sessionId);
    return { data: null, message: "Session revoked." };
  },
);
