import { randomBytes } from "node:crypto";
import { loginIdentifierLabel } from "../../flow/login/identifier-label";
import type { PasswordHasher } from "../../../hashing/hasher";
import { messages } from "../../../ui/messages";
import { baseFlowJson, type LoginFlow } from "../../flow/flow";
import type { FlowDeps } from "../../flow/flow-deps";
import { FlowValidationError } from "../../flow/validation-error";
import type { JsonObject } from "../../../http/body";
import type { StrategyContext, LoginStrategy } from "../strategy";
import { identifierNode, passwordNode, submitNode } from "./nodes";
import { readPasswordCredential } from "./credential";
import { normalizeIdentifier } from "../../../identity/extensions";
import { askPasswordMigrationHook } from "./migration-hook";
import { loginFlow } from "../../flow/login/definition";
import { publicIdentityJson } from "../../../session/json";
import { now as timeNow } from "../../../clock/clock";

/**
 * A hash of a random string made with the configured hasher, compared when
 * the identifier is unknown so response timing does not reveal accounts.
 */
const dummyHashes = new WeakMap<PasswordHasher, Promise<string>>();
function dummyHash(hasher: PasswordHasher): Promise<string> {
  let hash = dummyHashes.get(hasher);
  if (!hash) {
    hash = hasher.hash(randomBytes(16).toString("hex"));
    dummyHashes.set(hasher, hash);
  }
  return hash;
}

export const passwordLogin: LoginStrategy = {
  // login.go Strategy.Login: CheckAAL(aal1) passes aal2 flows on, before the method check.
  responsible: ({ flow, method }) => method === "password" && (flow.requestedAal ?? "aal1") === "aal1",
  populate(flow: LoginFlow, ctx: StrategyContext) {
    // Password is a first factor only.
    if (flow.requestedAal === "aal2") return;
    const refreshIdentifier = flow.refresh && ctx.session?.identity ? firstIdentifier(ctx) : undefined;
    flow.ui.append(
      identifierNode(loginIdentifierLabel(ctx.deps.schemas, flow), refreshIdentifier ?? "", refreshIdentifier !== undefined),
      passwordNode("current-password"),
      submitNode(messages.loginSubmitPassword()),
    );
  },

  // PopulateLoginMethodIdentifierFirstCredentials: the password form when the account has one (always under mitigation).
  populateIdentifierFirstCredentials(flow, { identity }, ctx) {
    const password = identity?.credentials.password;
    const found = password !== undefined && password.identifiers.length > 0 && readPasswordCredential(password.config) !== undefined;
    if (found || ctx.deps.config.security.account_enumeration.mitigate)
      flow.ui.append(passwordNode("current-password"), submitNode(messages.loginSubmitPassword()));
    return found;
  },

  // login.go Strategy.Login decodes against login.schema.json (identifier and password required, minLength 1) before EnsureCSRF.
  decode(_flow, body) {
    const { identifier, password } = submittedCredentials(body);
    requireCredentials(identifier, password, (text) => text === "");
  },

  async submit(flow, body, ctx) {
    const { identifier, password } = submittedCredentials(body);
    requireCredentials(identifier, password, (text) => text.trim() === "");

    const { deps } = ctx;
    const found = await deps.identityRepository.findByCredentialIdentifier("password", identifier);
    const hash = found ? readPasswordCredential(found.credential.config) : undefined;
    if (found && !hash && found.credential.config.use_password_migration_hook === true) {
      // login.go: the hook decides, and a confirmed password is hashed and stored (migratePasswordHash).
      const verdict = await askPasswordMigrationHook(deps.config, deps.config.selfservice.methods.password.config.migrate_hook, {
        identifier,
        password,
        flow: "strategies" in deps ? await loginFlow.toJson(flow, deps as FlowDeps) : baseFlowJson(flow),
        identity: publicIdentityJson(deps, found.identity),
        request: { method: ctx.http.method, target: ctx.http.req.url ?? "/", headers: ctx.http.req.headersDistinct },
        connection: ctx.http.req.socket,
      });
      if (verdict !== "match") throw FlowValidationError.flow(messages.invalidCredentials(), { identifier });
      await deps.identityRepository.updateCredentialConfig(found.credential.id, { hashed_password: await deps.hasher.hash(password) });
    } else if (!found || !hash) {
      await deps.hasher.verify(password, await dummyHash(deps.hasher));
      throw FlowValidationError.flow(messages.invalidCredentials(), { identifier });
    } else if (!(await deps.hasher.verify(password, hash))) {
      throw FlowValidationError.flow(messages.invalidCredentials(), { identifier });
    } else if (!deps.hasher.understands(hash)) {
      // As Kratos' password strategy (login.go, migratePasswordHash): a hash of
      // another algorithm (imported, or made before `hashers.algorithm`
      // changed) is replaced before the login completes; a failure is logged
      // and the login goes on with the old hash.
      try {
        await deps.identityRepository.updateCredentialConfig(found.credential.id, { hashed_password: await deps.hasher.hash(password) });
      } catch (error) {
        deps.log(
          `Unable to migrate password hash for identity ${found.identity.id}: ${(error as Error).message} Keeping existing password hash and continuing.`,
        );
      }
    }
    if (flow.refresh && ctx.session && ctx.session.identityId !== found.identity.id) {
      throw FlowValidationError.flow(messages.invalidCredentials(), { identifier });
    }
    return { identity: found.identity, method: { method: "password", aal: "aal1", completed_at: timeNow().toISOString() } };
  },
};

function submittedCredentials(body: JsonObject): { identifier: string; password: string } {
  const identifier =
    typeof body.identifier === "string" ? body.identifier : typeof body.password_identifier === "string" ? body.password_identifier : "";
  return { identifier, password: typeof body.password === "string" ? body.password : "" };
}

/** The identifier (as `isMissing` judges it) and the password are required; the form echoes the identifier. */
function requireCredentials(identifier: string, password: string, isMissing: (identifier: string) => boolean): void {
  const missing = [];
  if (isMissing(identifier)) missing.push({ name: "identifier", message: messages.required("identifier") });
  if (password === "") missing.push({ name: "password", message: messages.required("password") });
  if (missing.length > 0) throw new FlowValidationError(missing, { identifier });
}

function firstIdentifier(ctx: StrategyContext): string | undefined {
  const identity = ctx.session?.identity;
  if (!identity) return undefined;
  // GuessForcedLoginIdentifier: the stored credential's first identifier, as the persister stored it (trimmed).
  const first = ctx.deps.identities.identifiersFor(identity.schemaId, identity.traits, "password")[0];
  return first === undefined ? undefined : normalizeIdentifier(first);
}
