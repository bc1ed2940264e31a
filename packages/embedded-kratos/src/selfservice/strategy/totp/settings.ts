import { readTrait } from "../../../identity/extensions";
import type { Identity } from "../../../identity/identity";
import { messages } from "../../../ui/messages";
import { type SettingsFlow, readStrategyState, writeStrategyState } from "../../flow/flow";
import { FlowValidationError } from "../../flow/validation-error";
import type { StrategyContext, SettingsStrategy } from "../strategy";
import { totpConfig } from "./config";
import { totpSecretOf } from "./credential";
import { newTotpKey, qrCodeDataUri, secretFromUrl, verifyTotp } from "./key";
import { totpMessages } from "./messages";
import { qrNode, secretNode, settingsCodeNode, settingsSubmitNode, unlinkNode } from "./nodes";
import { pressed } from "../submission";
import { refuseBySchema } from "../../flow/transient-payload";
import { z } from "zod";
import { now as timeNow } from "../../../clock/clock";

/** Where a settings flow keeps the key offered for enrolment until a code proves the app has it. */
const totpStateSchema = z.object({ url: z.string().optional() });

function pending(flow: SettingsFlow): z.infer<typeof totpStateSchema> {
  return readStrategyState(flow, "totp", totpStateSchema) ?? {};
}

/**
 * Settings: an identity without TOTP is offered a new key (QR code, secret,
 * code input); one with TOTP may unlink it. The offered key lives in the
 * flow's internal context and is kept across re-renders of the same flow.
 */
export const totpSettings: SettingsStrategy = {
  // The unlink button is posted without `method`.
  responsible: ({ method, body }) => method === "totp" || (method === "" && pressed(body, "totp_unlink")),
  // settings.go Strategy.Settings: decodeSettingsFlow validates against settings.schema.json before the method check,
  // so whatever reaches it (passkey, webauthn, lookup_secret, an unknown method) meets its schema.
  screen: ({ body }) => refuseBySchema("totp", "settings", body),
  async populate(flow: SettingsFlow, ctx: StrategyContext) {
    const identity = ctx.identity;
    if (!identity) return;
    if (totpSecretOf(identity)) {
      flow.ui.append(unlinkNode());
      return;
    }
    let url = pending(flow).url;
    let secret = secretFromUrl(url);
    if (!url || !secret) {
      const key = newTotpKey(totpConfig(ctx.deps.config).issuer, accountName(ctx, identity));
      url = key.url;
      secret = key.secret;
      writeStrategyState(flow, "totp", { url });
    }
    flow.ui.append(qrNode(await qrCodeDataUri(url)), secretNode(secret), settingsCodeNode(), settingsSubmitNode());
  },

  submit(flow, body, ctx) {
    const identity = ctx.identity;
    if (!identity) throw FlowValidationError.flow(messages.noStrategy("settings"));

    if (totpSecretOf(identity)) {
      // Kratos: with a device set up, only `totp_unlink` changes anything.
      if (!isTrue(body.totp_unlink)) return Promise.resolve({ identity, privileged: true });
      const { totp: _removed, ...rest } = identity.credentials;
      identity.credentials = rest;
      return Promise.resolve({ identity, privileged: true });
    }

    const url = pending(flow).url;
    const secret = secretFromUrl(url);
    if (!url || !secret)
      throw FlowValidationError.flow(messages.generic("The TOTP enrolment expired. Please reload the page to get a new QR code."));
    const code = typeof body.totp_code === "string" ? body.totp_code.trim() : "";
    if (code === "") throw FlowValidationError.field("totp_code", messages.required("totp_code"));
    if (!verifyTotp(code, secret)) throw FlowValidationError.field("totp_code", totpMessages.wrongCode());

    ctx.deps.identities.setCredential(identity, { type: "totp", identifiers: [identity.id], config: { totp_url: url }, version: 0 });
    writeStrategyState(flow, "totp", undefined);
    return Promise.resolve({
      identity,
      privileged: true,
      authenticationMethod: { method: "totp", aal: "aal2", completed_at: timeNow().toISOString() },
    });
  },
};

/** The trait marked `"totp": {"account_name": true}` in the identity schema, else the identity id (Kratos' fallback). */
function accountName(ctx: StrategyContext, identity: Identity): string {
  const schema = ctx.deps.schemas.get(identity.schemaId);
  for (const path of schema?.paths ?? []) {
    if (!path.extension.credentials?.totp?.account_name) continue;
    const value = readTrait(identity.traits, path.segments);
    if (typeof value === "string" && value !== "") return value;
  }
  return identity.id;
}

function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}
