import "server-only";
import type pg from "pg";
import { createAuditLog } from "@olympus/athena-store/audit";
import { readMfaSettings, type EffectiveMfaPolicy } from "@olympus/athena-store/settings";
import { startupConfig } from "@olympus/runtime-config/config";
import { checkOlympusSchema, createOlympusPool } from "@olympus/athena-store/olympus-db";
import { createMfaPolicySource, type MfaPolicySource } from "../../mfa-policy-source";
import { POLICY_CREDENTIAL_CONFIGS } from "../../second-factor-policy";
import { kratos } from "../ory";
import { createCaptchaService, type CaptchaService } from "../captcha/service";
import { EdgeCounters } from "./counters";
import { createKratosEdge, type KratosEdge } from "./edge";
import { EdgeLimiter } from "./limiter";
import { createSecondFactorGate } from "./second-factor-gate";
import { EdgeSettingsError, loadEdgeSettings, type EdgeSettings } from "./settings";
import { EdgeSignIns } from "./sign-ins";

/** Expired counters and sign-ins are deleted this often. */
const PURGE_INTERVAL_MS = 10 * 60_000;

interface EdgeInstance {
  settings: EdgeSettings;
  limiter: EdgeLimiter;
  pool: pg.Pool;
  edge: KratosEdge;
  captcha: CaptchaService;
  mfaPolicy: MfaPolicySource;
}

// One instance (and one pool) per process, kept across dev-server module reloads.
const holder = globalThis as typeof globalThis & { __heraKratosEdge?: EdgeInstance };

function log(line: Record<string, unknown>): void {
  const text = JSON.stringify({ app: "hera", ...line });
  if (line.level === "error") console.error(text);
  else console.log(text);
}

function open(): EdgeInstance {
  const config = startupConfig();
  const settings = loadEdgeSettings(process.env, config.domain);
  const pool = createOlympusPool(settings.databaseUrl);
  const counters = new EdgeCounters(pool, config.domain);
  const signIns = new EdgeSignIns(pool, config.domain);
  const limiter = new EdgeLimiter(settings.limits, counters, createAuditLog({ pool, domain: config.domain }), log);
  const purge = setInterval(() => {
    void Promise.all([counters.deleteExpired(), signIns.deleteExpired()]).catch((error: Error) =>
      log({ level: "error", msg: "edge purge failed", error: error.message }),
    );
  }, PURGE_INTERVAL_MS);
  purge.unref();
  const mfaPolicy = createMfaPolicySource({ read: () => readMfaSettings(pool, config.domain), defaults: config.mfa, log });
  const secondFactor = createSecondFactorGate({
    policy: () => mfaPolicy.current(),
    identity: (id) => kratos().getIdentity(id, POLICY_CREDENTIAL_CONFIGS),
    kratosUrl: config.kratos.publicUrl,
    publicUrl: config.publicUrl,
    fetch,
    log,
  });
  const captcha = createCaptchaService({ pool, domain: config.domain, secret: config.secrets.cookieSecret, limiter, log });
  const edge = createKratosEdge({
    kratosUrl: config.kratos.publicUrl,
    kratosAdminUrl: config.kratos.adminUrl,
    publicUrl: config.publicUrl,
    limiter,
    signIns,
    log,
    secondFactor,
    captcha: captcha.gate,
  });
  return { settings, limiter, pool, edge, mfaPolicy, captcha };
}

/** This instance's CAPTCHA (challenges for the widget, the policy for pages); the edge checks solutions itself. */
export function edgeCaptcha(): CaptchaService {
  holder.__heraKratosEdge ??= open();
  return holder.__heraKratosEdge.captcha;
}

/** This instance's abuse limits, for what Hera guards outside the Kratos proxy (the device user-code form). */
export function edgeLimiter(): EdgeLimiter {
  holder.__heraKratosEdge ??= open();
  return holder.__heraKratosEdge.limiter;
}

/** This instance's Kratos proxy (route handler app/.ory/kratos/[...path]). */
export function kratosEdge(): KratosEdge {
  holder.__heraKratosEdge ??= open();
  return holder.__heraKratosEdge.edge;
}

/**
 * This domain's MFA policy now: Athena's "Second factor (MFA)" settings over
 * MFA_REQUIRED / MFA_GRACE_DAYS, read with the edge's pool (the domain's own
 * role, which row-level security gives this domain's settings rows) and kept
 * briefly, so a change applies without a restart.
 */
export function effectiveMfaPolicy(): Promise<EffectiveMfaPolicy> {
  holder.__heraKratosEdge ??= open();
  return holder.__heraKratosEdge.mfaPolicy.current();
}

/**
 * The edge's olympus database pool, once it answers as this domain's role
 * with every migration applied (the start-up check, asked again each time:
 * readiness uses it, and the migration step may finish after Hera starts).
 */
export async function edgeDatabase(): Promise<pg.Pool> {
  holder.__heraKratosEdge ??= open();
  const { pool } = holder.__heraKratosEdge;
  await checkOlympusSchema(pool, startupConfig().domain);
  return pool;
}

/**
 * Start-up check (instrumentation): the edge's settings and limits file are
 * valid, or the process stops with one line naming the variable. The
 * database is checked too, but only reported: while it is unreachable the
 * edge refuses guarded submissions (503) instead of letting them through.
 */
export async function validateEdgeOrExit(): Promise<void> {
  let instance: EdgeInstance;
  try {
    instance = holder.__heraKratosEdge ??= open();
    const { limits } = instance.settings;
    console.log(
      `hera: sign-in limits from ${limits.source ?? "the built-in production figures"}; client addresses from ${limits.client_ip.trusted_proxies.length > 0 ? `X-Forwarded-For behind ${limits.client_ip.trusted_proxies.join(", ")}` : "the connection only"}`,
    );
  } catch (error) {
    if (error instanceof EdgeSettingsError) {
      console.error(`hera: Invalid edge configuration: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  try {
    await checkOlympusSchema(instance.pool, startupConfig().domain);
  } catch (error) {
    log({ level: "error", msg: "olympus database not ready for the sign-in limits", error: (error as Error).message });
  }
}
