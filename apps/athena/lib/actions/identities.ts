"use server";

import { z } from "zod";
import { KratosRejection } from "@olympus/sdk/admin";
import { adminAction } from "@/lib/server/action";
import { AdminActionError } from "@/lib/server/action-result";
import { kratosAdmin } from "@/lib/server/ory";
import { asRecord } from "@/lib/json";

const identityId = z.uuid();
const jsonObject = z.record(z.string(), z.unknown());

/** Kratos' validation reasons are meant for operators; anything else stays generic. */
async function kratos<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof KratosRejection) throw new AdminActionError(error.message);
    throw error;
  }
}

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
    const identity = await kratos(() =>
      kratosAdmin().createIdentity({
        schema_id: input.schemaId,
        traits: input.traits,
        state: input.state,
        ...(input.password ? { credentials: { password: { config: { password: input.password } } } } : {}),
      }),
    );
    let invited = false;
    if (input.invite) {
      const email = identity.recovery_addresses?.[0]?.value;
      if (email) {
        await kratos(() => kratosAdmin().sendRecoveryEmail(email, "link"));
        invited = true;
      }
    }
    return {
      data: { id: identity.id },
      target: identity.id,
      details: { schema: input.schemaId, withPassword: Boolean(input.password), invited },
      message: invited ? "Identity created; an invitation (recovery) mail is on its way." : "Identity created.",
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
    await kratos(() =>
      kratosAdmin().patchIdentity(id, [
        { op: "replace", path: "/metadata_public", value: metadataPublic },
        { op: "replace", path: "/metadata_admin", value: metadataAdmin },
      ]),
    );
    return { data: null, message: "Metadata saved." };
  },
);

export const setIdentityState = adminAction(
  { action: "identity.set_state", input: z.object({ id: identityId, state: z.enum(["active", "inactive"]) }), target: (i) => i.id },
  async ({ id, state }) => {
    await kratos(() => kratosAdmin().patchIdentity(id, [{ op: "replace", path: "/state", value: state }]));
    return { data: null, details: { state }, message: state === "active" ? "Identity activated." : "Identity deactivated." };
  },
);

export const deleteIdentity = adminAction(
  { action: "identity.delete", input: z.object({ id: identityId, confirmation: z.string() }), target: (i) => i.id },
  async ({ id, confirmation }) => {
    const identity = await kratosAdmin().getIdentity(id);
    if (!identity) throw new AdminActionError("This identity no longer exists.");
    const expected = asRecord(identity.traits).email;
    if (confirmation !== (typeof expected === "string" ? expected : id)) throw new AdminActionError("The confirmation text does not match.");
    await kratosAdmin().deleteIdentity(id);
    return { data: null, details: { schema: identity.schema_id }, message: "Identity deleted." };
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
    await kratosAdmin().deleteIdentitySessions(id);
    return { data: null, message: "All sessions of this identity were revoked." };
  },
);

export const revokeSession = adminAction(
  { action: "session.revoke", input: z.object({ sessionId: z.uuid() }), target: (i) => i.sessionId },
  async ({ sessionId }) => {
    await kratosAdmin().disableSession(sessionId);
    return { data: null, message: "Session revoked." };
  },
);
