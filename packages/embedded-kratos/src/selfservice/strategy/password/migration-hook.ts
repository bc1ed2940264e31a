import { scanGoJson } from "@olympus/server-kit/go-json";
import type { KratosConfig } from "../../../config/load";
import { KratosError } from "../../../http/errors";
import {
  abandonmentSignal,
  ORY_HTTP_CLIENT,
  privateIpPolicyOf,
  resilientFetch,
  type OutboundResponse,
  type ResilientOptions,
} from "@olympus/server-kit/http";
import { buildMigrationHookRequest, type MigrationHookInput } from "./migration-hook-request";

type MigrationHookConfig = KratosConfig["selfservice"]["methods"]["password"]["config"]["migrate_hook"];

/** What the password migration web hook decided about a password. */
export type MigrationVerdict = "match" | "no-match";

/** hook.PasswordMigration reads at most 1 KB of the hook's answer. */
const MAX_ANSWER_BYTES = 1024;

/**
 * The password login of an identity imported with
 * `use_password_migration_hook` (selfservice/strategy/password/login.go):
 * a disabled hook is Kratos' misconfiguration error (500), otherwise the
 * hook decides (selfservice/hook/password_migration_hook.go Execute). The
 * request is built as request.Builder builds it and sent through Kratos'
 * resilient client (driver/registry_default.go HTTPClient: retries, 30 s
 * per attempt, `clients.http`'s private-IP policy) in the login request's
 * context: a client that hangs up ends the attempt and the wait between
 * attempts.
 */
export async function askPasswordMigrationHook(
  kratos: Pick<KratosConfig, "source" | "clients">,
  hook: MigrationHookConfig,
  input: MigrationHookInput,
): Promise<MigrationVerdict> {
  if (!hook.enabled) {
    throw new KratosError(500, {
      id: "invalid_configuration",
      message: "Invalid configuration",
      reason: "Password migration hook is not enabled but password migration is requested.",
    });
  }
  const abandoned = input.connection ? abandonmentSignal(input.connection) : undefined;
  try {
    const client: ResilientOptions = {
      ...ORY_HTTP_CLIENT,
      ...privateIpPolicyOf(kratos),
      ...(abandoned ? { signal: abandoned.signal } : {}),
    };
    return await ask(kratos, hook.config, input, client);
  } finally {
    abandoned?.dispose();
  }
}

async function ask(
  kratos: Pick<KratosConfig, "source">,
  config: MigrationHookConfig["config"],
  input: MigrationHookInput,
  client: ResilientOptions,
): Promise<MigrationVerdict> {
  const { headers, body } = await buildMigrationHookRequest(kratos, config, input, client);
  let response: OutboundResponse;
  try {
    response = await resilientFetch(config.url ?? "", { method: config.method, headers, body }, client);
  } catch {
    throw upstreamError(
      "A third-party upstream service could not be reached. Please try again later.",
      "calling the password migration hook failed",
    );
  }
  if (response.status === 200) return (await readStatus(response)) === "password_match" ? "match" : "no-match";
  await response.body.cancel().catch(() => undefined);
  if (response.status === 403) return "no-match";
  throw upstreamError(
    "A third-party upstream service responded improperly. Please try again later.",
    `password migration hook failed with status code ${response.status}`,
  );
}

function upstreamError(reason: string, message: string): KratosError {
  return new KratosError(502, { reason, message });
}

/** `{"status": "..."}` from the first KB of the answer; anything unreadable is no status. */
async function readStatus(response: OutboundResponse): Promise<string | undefined> {
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_ANSWER_BYTES) {
      const chunk = await reader.read();
      if (chunk.done) break;
      chunks.push(chunk.value);
      size += chunk.value.length;
    }
  } catch {
    // The answer broke off (or the attempt's timeout ran out): what arrived is decoded, as Go's decoder would.
  }
  await reader.cancel().catch(() => undefined);
  const bytes = Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES);
  let parsed: unknown;
  try {
    // json.Decoder.Decode: the first JSON value counts, whatever follows it is not read.
    parsed = JSON.parse(bytes.subarray(0, scanGoJson(bytes, "decoder")).toString("utf8"));
  } catch {
    // Not JSON (or cut at 1 KB): no status, so no match, as in Kratos.
    return undefined;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
  // encoding/json matches field names exactly first, then case-insensitively.
  const entries = Object.entries(parsed as Record<string, unknown>);
  const status = (entries.find(([key]) => key === "status") ?? entries.find(([key]) => key.toLowerCase() === "status"))?.[1];
  return typeof status === "string" ? status : undefined;
}
