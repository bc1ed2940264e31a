import type { KratosConfig } from "../../../config/load";
import { ORY_HTTP_CLIENT, type ResilientOptions } from "@olympus/server-kit/http";
import { hookRequestHeaders, renderHookBody } from "../../../request/builder";
import { hookRequestContext, type HookRequestSource } from "../../../request/template-context";

type MigrationHookConfig = KratosConfig["selfservice"]["methods"]["password"]["config"]["migrate_hook"]["config"];

export interface MigrationHookInput {
  identifier: string;
  password: string;
  /** The login flow as its API answer renders it. */
  flow: Record<string, unknown>;
  /** The identity as Identity.MarshalJSON writes it (no credentials, no metadata_admin). */
  identity: Record<string, unknown>;
  request: HookRequestSource;
  /** The login request's connection: Go cancels the request's context when it closes. */
  connection?: {
    destroyed: boolean;
    once(event: "close", listener: () => void): unknown;
    off(event: "close", listener: () => void): unknown;
  };
}

/**
 * The request hook.PasswordMigration.Execute sends
 * (selfservice/hook/password_migration_hook.go) through request.Builder
 * (request/builder.go NewBuilder, BuildRequest, auth.go): the configured
 * headers (JSON by default), the auth strategy, and either the JSON of
 * `{identifier, password}` or, with `config.body`, the Jsonnet template's
 * output for `ctx` — the web hook template context plus identifier and
 * password.
 */
export async function buildMigrationHookRequest(
  kratos: Pick<KratosConfig, "source">,
  config: MigrationHookConfig,
  input: MigrationHookInput,
  client: ResilientOptions = ORY_HTTP_CLIENT,
): Promise<{ headers: Headers; body: string }> {
  const headers = hookRequestHeaders(config);
  if (!config.body) {
    // json.Marshal(PasswordMigrationRequest): the raw body, whatever Content-Type says.
    return { headers, body: JSON.stringify({ identifier: input.identifier, password: input.password }) };
  }
  const ctx = templateContext(input);
  const body = await renderHookBody(kratos, { uri: config.body, configKey: MIGRATION_BODY_KEY }, headers, ctx, client);
  return { headers, body };
}

const MIGRATION_BODY_KEY = "selfservice.methods.password.config.migrate_hook.config.body";

/**
 * templateContextMerged of password_migration_hook.go: the web hook template
 * context (selfservice/hook/web_hook.go templateContext) with `password`
 * and `identifier`; `session` is absent (nil, omitempty).
 */
function templateContext(input: MigrationHookInput): Record<string, unknown> {
  return {
    flow: input.flow,
    ...hookRequestContext(input.request),
    identity: input.identity,
    password: input.password,
    identifier: input.identifier,
  };
}
