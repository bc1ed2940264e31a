import "server-only";
import { deriveEncryptionKey } from "@olympus/athena-store/settings";
import { recordAudit } from "@/shared/server/audit";
import { athenaConfig } from "@/shared/server/config";
import { olympusPool } from "@/shared/server/olympus-db";
import { createIamTokenClient, type IamTokenClient } from "./iam-tokens";
import { loopbackLookup } from "./loopback-lookup";
import { IAM_REQUEST_TIMEOUT_MS, SESSION_ABSOLUTE_SECONDS } from "./policy";
import { createServerSessions, type EndReason, type ServerSessions } from "./server-sessions";
import { createSessionRows } from "./session-rows";

// One of each per process, kept across dev-server module reloads.
const holder = globalThis as typeof globalThis & { __athenaIamTokens?: IamTokenClient; __athenaSessions?: ServerSessions };

/** This Athena's client at IAM Hydra's public token and revocation endpoints. */
export function iamTokens(): IamTokenClient {
  const config = athenaConfig();
  holder.__athenaIamTokens ??= createIamTokenClient({
    issuerUrl: config.auth.issuerUrl,
    clientId: config.auth.clientId,
    clientSecret: config.auth.clientSecret,
    lookup: config.environment === "development" ? loopbackLookup : undefined,
    timeoutMs: IAM_REQUEST_TIMEOUT_MS,
  });
  return holder.__athenaIamTokens;
}

/** Audited as denied when IAM no longer vouches for the employee; an expiry is routine. */
const DENIED_REASONS: ReadonlySet<EndReason> = new Set(["refresh_rejected", "role_removed", "unreadable"]);

/** This domain's server-side sessions (olympus database), once the schema is in place. */
export async function athenaSessions(): Promise<ServerSessions> {
  const pool = await olympusPool();
  if (holder.__athenaSessions) return holder.__athenaSessions;
  const config = athenaConfig();
  const key = deriveEncryptionKey(config.encryptionKey, config.environment);
  const previousKeys = config.encryptionKeyPrevious ? [deriveEncryptionKey(config.encryptionKeyPrevious, config.environment)] : [];
  holder.__athenaSessions = createServerSessions({
    rows: createSessionRows({ pool, domain: config.domain, key, previousKeys }),
    iam: iamTokens(),
    revalidateSeconds: config.session.revalidateSeconds,
    absoluteSeconds: SESSION_ABSOLUTE_SECONDS,
    onEnded: (session, reason) =>
      recordAudit({
        actor: { id: session.subject, email: session.email, role: session.role },
        action: "auth.session_end",
        outcome: DENIED_REASONS.has(reason) ? "denied" : "success",
        details: { reason },
      }),
  });
  return holder.__athenaSessions;
}
