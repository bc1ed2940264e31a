import { createAuditLog } from "@olympus/athena-store/audit";
import type { Domain } from "@olympus/runtime-config/config";
import { startTestOlympusDatabase, type TestOlympusDatabase } from "@olympus/athena-store/olympus-db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// Hera's own edge writes the lockouts Athena reads: the contract under test is the rows it leaves.
import { EdgeCounters } from "../../../hera/lib/server/kratos-edge/counters";
import { EdgeLimiter } from "../../../hera/lib/server/kratos-edge/limiter";
import { loadLimits, type AttemptKind } from "../../../hera/lib/server/kratos-edge/limits-config";
import { listLockedAccounts, unlockAccount } from "./store";

let db: TestOlympusDatabase;
beforeAll(async () => {
  db = await startTestOlympusDatabase();
}, 120_000);
afterAll(async () => {
  await db?.stop();
});

/** Hera's limiter for a domain, with 3 guesses per identifier, then a 30-minute lockout. */
function heraEdge(domain: Domain) {
  const rule = { max: 3, window: "15m", lockout: "30m", backoff: { after: 3, base: "1s", max: "1s" } };
  const limits = loadLimits(domain, undefined, {
    overrides: {
      attempts: {
        password: { per_identifier: rule },
        code: { per_identifier: { max: 3, window: "15m", lockout: "30m" } },
        totp: { per_identifier: rule },
      },
    },
  });
  const pool = db.pools[domain];
  return new EdgeLimiter(limits, new EdgeCounters(pool, domain), createAuditLog({ pool, domain }));
}

let counter = 0;
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${counter++}@example.com`;

let ips = 0;
/** A client address of its own per guesser, so the per-IP limits stay out of the way. */
const nextIp = () => `203.0.${113 + Math.floor(++ips / 250)}.${ips % 250}`;

/** `times` wrong guesses at an identifier through Hera's limiter, each settled as Kratos refusing it. */
async function guessWrong(
  domain: Domain,
  identifier: string,
  times: number,
  attempt: Exclude<AttemptKind, "lookup_secret"> = "password",
  ip = nextIp(),
) {
  const edge = heraEdge(domain);
  for (let i = 0; i < times; i++) {
    const admission = await edge.admit([{ type: "attempt", attempt, identifiers: [identifier] }], ip);
    if (!admission.allowed) return;
    await admission.settle("failed");
  }
}

async function lockedIdentifiers(domain: Domain): Promise<string[]> {
  return (await listLockedAccounts(db.pools[domain], domain, { size: 1000, offset: 0 })).rows.map((r) => r.identifier);
}

describe("locked accounts, as Hera's edge leaves them in the olympus database", () => {
  it("lists an identifier Hera locked, with when, why, how long and from where", async () => {
    const ada = unique("ada");
    const before = Date.now();
    await guessWrong("ciam", ada, 3, "password", "198.51.100.23");
    const { rows } = await listLockedAccounts(db.pools.ciam, "ciam", { size: 100, offset: 0 });
    const row = rows.find((r) => r.identifier === ada);
    expect(row).toMatchObject({ bucket: "password:identifier", failures: 3, max: 3, clientIp: "198.51.100.23" });
    expect(row?.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.lockedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    // Refused for the 30-minute lockout from the moment the limit was used up.
    expect(Math.abs((row?.lockedUntil.getTime() ?? 0) - (row?.lockedAt.getTime() ?? 0) - 30 * 60_000)).toBeLessThan(2000);
  });

  it("lists neither an identifier still under its limit, nor client addresses, nor codes and second factors of someone else's domain", async () => {
    const almost = unique("almost");
    await guessWrong("ciam", almost, 2);
    const code = unique("code");
    await guessWrong("ciam", code, 3, "code");
    const employee = unique("employee");
    await guessWrong("iam", employee, 3, "totp");
    const ciam = await lockedIdentifiers("ciam");
    expect(ciam).not.toContain(almost);
    expect(ciam).toContain(code);
    expect(ciam.some((identifier) => identifier.includes("203.0.113"))).toBe(false);
    // Row-level security: each Athena's role sees its own domain's lockouts only.
    expect(ciam).not.toContain(employee);
    expect(await lockedIdentifiers("iam")).toContain(employee);
  });

  it("drops a lockout that has run out, and one a right password cleared", async () => {
    const served = unique("served");
    await guessWrong("ciam", served, 3);
    expect(await lockedIdentifiers("ciam")).toContain(served);
    await db.superuser(
      "UPDATE olympus_edge_counters SET blocked_until = now() - interval '1 second', expires_at = now() - interval '1 second' WHERE blocked_until IS NOT NULL AND hits = 3 AND domain = 'ciam' AND bucket = 'password:identifier' AND key_hash = sha256(convert_to('password:identifier', 'UTF8') || decode('00', 'hex') || convert_to($1, 'UTF8'))",
      [served],
    );
    expect(await lockedIdentifiers("ciam")).not.toContain(served);

    const remembered = unique("remembered");
    await guessWrong("ciam", remembered, 2);
    const admission = await heraEdge("ciam").admit([{ type: "attempt", attempt: "password", identifiers: [remembered] }], "203.0.113.7");
    if (!admission.allowed) throw new Error("the third guess should be admitted");
    await admission.settle("succeeded");
    expect(await lockedIdentifiers("ciam")).not.toContain(remembered);
  });

  it("unlocks a key so Hera admits the next guess, and reports a key that is not locked", async () => {
    const grace = unique("grace");
    await guessWrong("ciam", grace, 3);
    expect((await heraEdge("ciam").admit([{ type: "attempt", attempt: "password", identifiers: [grace] }], "203.0.113.8")).allowed).toBe(
      false,
    );
    const row = (await listLockedAccounts(db.pools.ciam, "ciam", { size: 1000, offset: 0 })).rows.find((r) => r.identifier === grace);
    if (!row) throw new Error("not listed");
    // The other domain's role cannot reach it.
    expect(await unlockAccount(db.pools.iam, "iam", { bucket: row.bucket, keyHash: row.keyHash })).toBeUndefined();
    expect(await unlockAccount(db.pools.ciam, "ciam", { bucket: row.bucket, keyHash: row.keyHash })).toMatchObject({
      identifier: grace,
      failures: 3,
    });
    expect(await lockedIdentifiers("ciam")).not.toContain(grace);
    expect((await heraEdge("ciam").admit([{ type: "attempt", attempt: "password", identifiers: [grace] }], "203.0.113.8")).allowed).toBe(
      true,
    );
    expect(await unlockAccount(db.pools.ciam, "ciam", { bucket: row.bucket, keyHash: row.keyHash })).toBeUndefined();
  });

  it("pages through every locked account, most recently locked first, with the total — no row cap", async () => {
    const many = Array.from({ length: 30 }, (_, i) => unique(`many${i}`));
    for (const identifier of many) await guessWrong("iam", identifier, 3);
    const first = await listLockedAccounts(db.pools.iam, "iam", { size: 25, offset: 0 });
    const second = await listLockedAccounts(db.pools.iam, "iam", { size: 25, offset: 25 });
    expect(first.total).toBe(second.total);
    expect(first.total).toBeGreaterThanOrEqual(30);
    expect(first.rows).toHaveLength(25);
    const all = [...first.rows, ...second.rows];
    expect(all.map((r) => r.identifier)).toEqual(expect.arrayContaining(many));
    expect(new Set(all.map((r) => `${r.bucket}/${r.keyHash}`)).size).toBe(all.length);
    const times = all.map((r) => r.lockedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(first.rows[0]?.identifier).toBe(many.at(-1));
  });
});
