"use server";

import { z } from "zod";
import { adminBatchAction } from "@/shared/server/action";
import { AdminActionError } from "@/shared/server/action-result";
import { athenaConfig } from "@/shared/server/config";
import { olympusPool } from "@/shared/server/olympus-db";
import { LOCK_BUCKETS, unlockAccount } from "./store";

const key = z.object({
  bucket: z.enum(LOCK_BUCKETS),
  keyHash: z.string().regex(/^[0-9a-f]{64}$/, "a lock is named by its SHA-256 in hex"),
});
const name = (k: z.infer<typeof key>) => `${k.bucket}/${k.keyHash}`;

/**
 * Unlocks the chosen keys: deletes each one's counter at Hera's edge, as a
 * right password would, so the next attempt is counted afresh. Each is
 * audited as `edge.unlock` with the identifier Hera locked (the other half
 * of its `edge.lockout` entry).
 */
export const unlockAccounts = adminBatchAction(
  {
    action: "edge.unlock",
    input: z.object({ keys: z.array(key).min(1, "choose at least one account").max(100, "unlock at most 100 at once") }),
    targets: (input) => input.keys.map(name),
    summary: (n) => (n === 1 ? "1 account unlocked" : `${n} accounts unlocked`),
  },
  async (target, input) => {
    const chosen = input.keys.find((k) => name(k) === target);
    if (!chosen) throw new AdminActionError("Unknown lock.");
    const unlocked = await unlockAccount(await olympusPool(), athenaConfig().domain, chosen);
    if (!unlocked) throw new AdminActionError("It was no longer locked.");
    return {
      target: unlocked.identifier,
      details: {
        limit: chosen.bucket.split(":")[0],
        failures: unlocked.failures,
        locked_at: unlocked.lockedAt.toISOString(),
        locked_until: unlocked.lockedUntil.toISOString(),
      },
    };
  },
);
