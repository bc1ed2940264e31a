import { scanGoJson } from "../../../admin/go-scanner";
import type { KratosConfig } from "../../../config/load";
import { KratosError } from "../../../http/errors";

type MigrationHookConfig = KratosConfig["selfservice"]["methods"]["password"]["config"]["migrate_hook"];

/** What the password migration web hook decided about a password. */
export type MigrationVerdict = "match" | "no-match";

/**
 * An answer can take this long; Kratos' resilient web hook client has its
 * own timeouts, and a login must not hang on a hook that never answers.
 */
const HOOK_TIMEOUT_MS = 10_000;

/** hook.PasswordMigration reads at most 1 KB of the hook's answer. */
const MAX_ANSWER_BYTES = 1024;

/**
 * The password login of an identity imported with
 * `use_password_migration_hook` (selfservice/strategy/password/login.go):
 * a disabled hook is Kratos' misconfiguration error (500), otherwise the
 * hook decides (selfservice/hook/password_migration_hook.go Execute).
 */
export async function askPasswordMigrationHook(
  hook: MigrationHookConfig,
  request: { identifier: string; password: string },
): Promise<MigrationVerdict> {
  if (!hook.enabled) {
    throw new KratosError(500, {
      id: "invalid_configuration",
      message: "Invalid configuration",
      reason: "Password migration hook is not enabled but password migration is requested.",
    });
  }
  const { config } = hook;
  const headers = new Headers(config.headers ?? {});
  // request.Builder: JSON unless the configuration names another content type.
  if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  const auth = config.auth;
  if (auth?.type === "basic_auth") {
    headers.set("Authorization", `Basic ${Buffer.from(`${auth.config.user}:${auth.config.password}`).toString("base64")}`);
  } else if (auth?.type === "api_key") {
    if (auth.config.in === "cookie") headers.append("Cookie", `${auth.config.name}=${auth.config.value}`);
    else headers.set(auth.config.name, auth.config.value);
  }

  let response: Response;
  try {
    response = await fetch(config.url ?? "", {
      method: config.method,
      headers,
      body: JSON.stringify({ identifier: request.identifier, password: request.password }),
      redirect: "manual",
      signal: AbortSignal.timeout(HOOK_TIMEOUT_MS),
    });
  } catch {
    throw upstreamError(
      "A third-party upstream service could not be reached. Please try again later.",
      "calling the password migration hook failed",
    );
  }
  if (response.status === 200) return (await readStatus(response)) === "password_match" ? "match" : "no-match";
  await response.body?.cancel();
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
async function readStatus(response: Response): Promise<string | undefined> {
  const reader: ReadableStreamDefaultReader<Uint8Array> | undefined = response.body?.getReader();
  if (!reader) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_ANSWER_BYTES) {
    const chunk = await reader.read();
    if (chunk.done) break;
    chunks.push(chunk.value);
    size += chunk.value.length;
  }
  await reader.cancel();
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
