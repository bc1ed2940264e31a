import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeviceUserCodeResult } from "@olympus/ory-client/hydra";
import { createAuditLog } from "@olympus/athena-store/audit";
import { startTestOlympusDatabase, type TestOlympusDatabase } from "@olympus/athena-store/olympus-db/testing";
import { EdgeCounters } from "../kratos-edge/counters";
import { EdgeLimiter } from "../kratos-edge/limiter";
import { loadLimits } from "../kratos-edge/limits-config";
import { stampPeerAddress } from "../kratos-edge/peer-address";
import { userCodeGuessLimiter } from "./guess-limit";
import { decideUserCode, type UserCodeAcceptor } from "./submit-user-code";

/*
 * RFC 8628 §5.1: user codes have little entropy, so the verification page
 * must limit guesses. The edge's own counters (real Postgres) do it per
 * device challenge and per client address.
 */
let db: TestOlympusDatabase;
let limiter: EdgeLimiter;

beforeAll(async () => {
  db = await startTestOlympusDatabase();
  const limits = loadLimits("ciam", undefined, {
    overrides: { device_user_codes: { per_challenge: { max: 3, window: "15m" }, per_ip: { max: 5, window: "15m" } } },
  });
  limiter = new EdgeLimiter(limits, new EdgeCounters(db.pools.ciam, "ciam"), createAuditLog({ pool: db.pools.ciam, domain: "ciam" }));
}, 120_000);

afterAll(async () => {
  await db?.stop();
});

/** Request headers as Hera's socket stamp leaves them for a client at `address`. */
function headersFrom(address: string): Headers {
  const request = { headers: {}, socket: { remoteAddress: address } } as unknown as IncomingMessage;
  stampPeerAddress(request);
  return new Headers(request.headers as Record<string, string>);
}

function hydra(rightCode: string) {
  const asked: string[] = [];
  const acceptor: UserCodeAcceptor = {
    acceptDeviceUserCode(_challenge, userCode): Promise<DeviceUserCodeResult> {
      asked.push(userCode);
      return Promise.resolve(userCode === rightCode ? { status: "accepted", redirectTo: "http://hydra/next" } : { status: "invalid_code" });
    },
  };
  return { acceptor, asked };
}

describe("guesses at a device's user code", () => {
  it("stop reaching Hydra once a challenge has had its share of wrong codes, even the right code then waits", async () => {
    const { acceptor, asked } = hydra("RIGHTCD1");
    const guard = userCodeGuessLimiter(limiter, headersFrom("198.51.100.1"));
    for (const wrong of ["WRONGCD1", "WRONGCD2", "WRONGCD3"])
      expect(await decideUserCode(acceptor, guard, "challenge-a", wrong)).toBe("/device?device_challenge=challenge-a&error=invalid_code");
    expect(await decideUserCode(acceptor, guard, "challenge-a", "RIGHTCD1")).toBe(
      "/device?device_challenge=challenge-a&error=too_many_attempts",
    );
    expect(asked).toEqual(["WRONGCD1", "WRONGCD2", "WRONGCD3"]);
  });

  it("are counted per client address across challenges, so fresh challenges do not reset the count", async () => {
    const { acceptor, asked } = hydra("RIGHTCD1");
    const guard = userCodeGuessLimiter(limiter, headersFrom("198.51.100.2"));
    for (let i = 0; i < 5; i += 1) await decideUserCode(acceptor, guard, `challenge-ip-${i}`, "WRONGCD1");
    expect(await decideUserCode(acceptor, guard, "challenge-ip-new", "WRONGCD1")).toBe(
      "/device?device_challenge=challenge-ip-new&error=too_many_attempts",
    );
    expect(asked).toHaveLength(5);
    // Another address is not held back by this one's guesses.
    const other = userCodeGuessLimiter(limiter, headersFrom("198.51.100.3"));
    expect(await decideUserCode(acceptor, other, "challenge-ip-new", "RIGHTCD1")).toBe("http://hydra/next");
  });

  it("forget a challenge's wrong codes once the right one is typed", async () => {
    const { acceptor } = hydra("RIGHTCD1");
    const guard = userCodeGuessLimiter(limiter, headersFrom("198.51.100.4"));
    await decideUserCode(acceptor, guard, "challenge-b", "WRONGCD1");
    await decideUserCode(acceptor, guard, "challenge-b", "WRONGCD2");
    expect(await decideUserCode(acceptor, guard, "challenge-b", "RIGHTCD1")).toBe("http://hydra/next");
    const rows = await db.superuser<{ hits: number }>(
      "SELECT hits FROM olympus_edge_counters WHERE domain = 'ciam' AND bucket = 'device_user_code:challenge'",
    );
    expect(rows.rows.length).toBeGreaterThan(0);
  });
});
