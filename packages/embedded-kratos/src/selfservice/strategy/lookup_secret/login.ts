import { timingSafeEqual } from "node:crypto";
import type { Deps } from "../../../deps";
import type { Credential } from "../../../identity/identity";
import { messages } from "../../../ui/messages";
import type { LoginFlow } from "../../flow/flow";
import { forgetSessionIdentity, sessionIdentityWithCredentials } from "../session-identity";
import { FlowValidationError } from "../../flow/validation-error";
import type { StrategyContext, LoginStrategy } from "../strategy";
import { isUsed, lookupConfigOf, parseLookupConfig, type LookupCredentialConfig } from "./credential";
import { lookupMessages } from "./messages";
import { loginCodeNode, loginSubmitNode } from "./nodes";
import { now as timeNow } from "../../../clock/clock";

/** Backup codes are a second factor only; each code works once. */
export const lookupLogin: LoginStrategy = {
  // lookup/login.go Strategy.Login: CheckAAL(aal2) passes other flows on, before the method check.
  responsible: ({ flow, method }) => method === "lookup_secret" && flow.requestedAal === "aal2",
  async populate(flow: LoginFlow, ctx: StrategyContext) {
    if (flow.requestedAal !== "aal2") return;
    const identity = await sessionIdentityWithCredentials(ctx);
    if (!identity || !lookupConfigOf(identity)) return;
    flow.ui.append(loginCodeNode(), loginSubmitNode());
  },

  // lookup/login.go Strategy.Login: CheckAAL, then the payload against login.schema.json (lookup_secret required), before EnsureCSRF.
  decode(flow, body) {
    if (flow.requestedAal !== "aal2") throw FlowValidationError.flow(messages.noStrategy("login"));
    if (body.lookup_secret === undefined) throw FlowValidationError.field("lookup_secret", messages.required("lookup_secret"));
  },

  async submit(flow, body, ctx) {
    if (flow.requestedAal !== "aal2") throw FlowValidationError.flow(messages.noStrategy("login"));
    const code = typeof body.lookup_secret === "string" ? body.lookup_secret.trim() : "";
    if (code === "") throw FlowValidationError.field("lookup_secret", messages.required("lookup_secret"));

    const identity = await sessionIdentityWithCredentials(ctx);
    const credential = identity?.credentials.lookup_secret;
    if (!identity || !credential || !lookupConfigOf(identity)) throw FlowValidationError.flow(lookupMessages.noLookup());

    await useCode(ctx.deps, credential, code);
    forgetSessionIdentity(ctx);
    return { identity, method: { method: "lookup_secret", aal: "aal2", completed_at: timeNow().toISOString() } };
  },
};

/**
 * Marks `code` used with a compare-and-set on the stored config, so two
 * concurrent logins cannot both spend the same code. Throws the Kratos
 * validation error for an unknown (4000016) or already used (4000012) code.
 */
async function useCode(deps: Deps, credential: Credential, code: string): Promise<void> {
  let current: LookupCredentialConfig | undefined = parseLookupConfig(credential.config);
  for (let attempt = 0; attempt < 3 && current; attempt++) {
    const index = current.recovery_codes.findIndex((c) => sameCode(c.code, code));
    const match = current.recovery_codes[index];
    if (!match) throw FlowValidationError.flow(lookupMessages.invalid());
    if (isUsed(match)) throw FlowValidationError.flow(lookupMessages.alreadyUsed());

    const usedAt = timeNow().roundSeconds().toISOString();
    const next: LookupCredentialConfig = {
      recovery_codes: current.recovery_codes.map((c, i) => (i === index ? { ...c, used_at: usedAt } : c)),
    };
    const result = await deps.db.query(
      "UPDATE identity_credentials SET config = $3::jsonb, updated_at = now() WHERE id = $1 AND config = $2::jsonb",
      [credential.id, JSON.stringify(current), JSON.stringify(next)],
    );
    if ((result.rowCount ?? 0) > 0) {
      credential.config = { ...next };
      return;
    }
    // Someone else changed the codes meanwhile: re-read and decide again.
    const { rows } = await deps.db.query<{ config: unknown }>("SELECT config FROM identity_credentials WHERE id = $1", [credential.id]);
    current = parseLookupConfig(rows[0]?.config);
  }
  throw FlowValidationError.flow(lookupMessages.noLookup());
}

function sameCode(stored: string, given: string): boolean {
  const a = Buffer.from(stored);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
