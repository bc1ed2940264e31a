"use server";

import { z } from "zod";
import { adminBatchAction } from "@/shared/server/action";
import { activateIdentity, deactivateIdentity, deleteIdentityEverywhere, revokeEverySession } from "../operations";

/** The most identities one bulk action takes: the largest page. */
const MAX_BATCH = 100;
const ids = z.array(z.uuid()).min(1, "select at least one identity").max(MAX_BATCH, `select at most ${MAX_BATCH} identities`);
const identities = (n: number) => (n === 1 ? "1 identity" : `${n} identities`);

/** Activates or deactivates each selected identity; each is audited as `identity.set_state`, as on its own page. */
export const bulkSetState = adminBatchAction(
  {
    action: "identity.set_state",
    input: z.object({ ids, state: z.enum(["active", "inactive"]) }),
    targets: (input) => input.ids,
    summary: (n, input) =>
      `${identities(n)} ${input.state === "active" ? "activated" : "deactivated; their sessions and tokens are revoked"}`,
  },
  async (id, { state }, { admin }) => {
    if (state === "active") {
      await activateIdentity(id);
      return { details: { state } };
    }
    return { details: { state, revoked: await deactivateIdentity(id, admin.id) } };
  },
);

/** Signs each selected identity out everywhere (`identity.revoke_sessions` per identity). */
export const bulkRevokeSessions = adminBatchAction(
  {
    action: "identity.revoke_sessions",
    input: z.object({ ids }),
    targets: (input) => input.ids,
    summary: (n) => `Every session of ${identities(n)} revoked; apps they signed in to lost their tokens`,
  },
  async (id) => ({ details: { revoked: await revokeEverySession(id) } }),
);

/**
 * Deletes each selected identity (`identity.delete` per identity). The one
 * confirmation names the count, and the server checks the count confirmed
 * is the count sent, so a selection that changed under the dialog deletes
 * nothing.
 */
export const bulkDelete = adminBatchAction(
  {
    action: "identity.delete",
    input: z.object({ ids, confirmedCount: z.number().int() }).refine((input) => input.confirmedCount === new Set(input.ids).size, {
      message: "the number confirmed is not the number selected",
      path: ["confirmedCount"],
    }),
    targets: (input) => input.ids,
    summary: (n) => `${identities(n)} deleted; their sessions and tokens are revoked`,
  },
  async (id, _input, { admin }) => {
    const { schema, revoked } = await deleteIdentityEverywhere(id, admin.id);
    return { details: { schema, revoked } };
  },
);
