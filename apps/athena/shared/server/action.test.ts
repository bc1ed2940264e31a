import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { AuditEventInput } from "@olympus/athena-store/audit";
import type { Admin, CurrentSession } from "@/shared/auth/session";

// The wrapper's collaborators: who is signed in (and whether IAM re-validated it), and where audit events go.
const state: { admin: Admin | null; status: "active" | "unverified" | "unavailable"; events: AuditEventInput[] } = {
  admin: null,
  status: "active",
  events: [],
};
vi.mock("@/shared/auth/session", () => ({
  currentSession: async (): Promise<CurrentSession> => {
    if (state.status === "unavailable") return { status: "none", reason: "unavailable" };
    return state.admin ? { status: state.status, admin: state.admin } : { status: "none", reason: "none" };
  },
}));
vi.mock("./audit", () => ({ recordAudit: async (event: AuditEventInput) => void state.events.push(event) }));
vi.mock("./olympus-db", () => ({ auditLog: async () => ({}) }));

const { adminAction, adminBatchAction } = await import("./action");
const { AdminActionError } = await import("./action-result");

const runs: string[] = [];
const deleteThing = adminAction(
  { action: "thing.delete", input: z.object({ id: z.string().min(1) }), target: (i) => i.id },
  async ({ id }) => {
    runs.push(id);
    return { data: { deleted: id }, message: "Deleted." };
  },
);

beforeEach(() => {
  state.admin = null;
  state.status = "active";
  state.events = [];
  runs.length = 0;
});

describe("adminAction", () => {
  it("refuses without a session and does nothing", async () => {
    expect(await deleteThing({ id: "a" })).toEqual({ ok: false, error: { code: "unauthenticated", message: expect.any(String) } });
    expect(runs).toEqual([]);
  });

  it("refuses a viewer on the server, audits the refusal, and does nothing", async () => {
    state.admin = { id: "v1", email: "viewer@olympus.local", name: null, role: "viewer" };
    const result = await deleteThing({ id: "a" });
    expect(result).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(runs).toEqual([]);
    expect(state.events).toEqual([
      {
        actor: { id: "v1", email: "viewer@olympus.local", role: "viewer" },
        action: "thing.delete",
        target: "a",
        outcome: "denied",
        details: { reason: "requires admin" },
      },
    ]);
  });

  it("runs for an admin and audits the success with its target", async () => {
    state.admin = { id: "a1", email: "admin@olympus.local", name: "Admin", role: "admin" };
    expect(await deleteThing({ id: "x" })).toEqual({ ok: true, data: { deleted: "x" }, message: "Deleted." });
    expect(state.events.map((e) => [e.action, e.target, e.outcome])).toEqual([["thing.delete", "x", "success"]]);
  });

  it("refuses an admin whose session IAM Hydra could not re-validate, audits it, and does nothing", async () => {
    state.admin = { id: "a1", email: "admin@olympus.local", name: null, role: "admin" };
    state.status = "unverified";
    expect(await deleteThing({ id: "x" })).toMatchObject({
      ok: false,
      error: { code: "unavailable", message: expect.stringContaining("re-check your session") },
    });
    expect(runs).toEqual([]);
    expect(state.events.map((e) => [e.action, e.target, e.outcome])).toEqual([["thing.delete", "x", "denied"]]);
  });

  it("refuses, without running, when the session cannot be checked at all", async () => {
    state.status = "unavailable";
    expect(await deleteThing({ id: "x" })).toMatchObject({ ok: false, error: { code: "unavailable" } });
    expect(runs).toEqual([]);
  });

  it("reports invalid input field by field without running", async () => {
    state.admin = { id: "a1", email: null, name: null, role: "admin" };
    expect(await deleteThing({ id: "" })).toMatchObject({
      ok: false,
      error: { code: "invalid_input", fields: { id: expect.any(String) } },
    });
    expect(runs).toEqual([]);
  });

  it("audits a failure and shows only a refusal's own message", async () => {
    state.admin = { id: "a1", email: null, name: null, role: "admin" };
    const failing = adminAction({ action: "thing.fail", input: z.object({}) }, async () => {
      throw new AdminActionError("Type the email to confirm.");
    });
    const crashing = adminAction({ action: "thing.crash", input: z.object({}) }, async () => {
      throw new Error("SELECT * FROM secrets failed");
    });
    expect(await failing({})).toEqual({ ok: false, error: { code: "rejected", message: "Type the email to confirm." } });
    const crashed = await crashing({});
    expect(crashed.ok ? "" : crashed.error.message).not.toContain("SELECT");
    expect(state.events.map((e) => e.outcome)).toEqual(["failure", "failure"]);
  });
});

describe("adminBatchAction", () => {
  const disable = adminBatchAction(
    {
      action: "thing.disable",
      input: z.object({ ids: z.array(z.string().min(1)).min(1).max(5) }),
      targets: (i) => i.ids,
      summary: (n) => `${n} disabled`,
    },
    async (id) => {
      if (id === "gone") throw new AdminActionError("This thing no longer exists.");
      runs.push(id);
      return { details: { state: "disabled" } };
    },
  );

  it("acts on each item and audits each one as its own target", async () => {
    state.admin = { id: "a1", email: "admin@olympus.local", name: null, role: "admin" };
    expect(await disable({ ids: ["x", "y", "x"] })).toEqual({ ok: true, data: { done: ["x", "y"], failed: [] }, message: "2 disabled" });
    expect(runs.sort()).toEqual(["x", "y"]);
    expect(state.events.map((e) => [e.action, e.target, e.outcome, e.details])).toEqual(
      expect.arrayContaining([
        ["thing.disable", "x", "success", { state: "disabled", batch: 2 }],
        ["thing.disable", "y", "success", { state: "disabled", batch: 2 }],
      ]),
    );
    expect(state.events).toHaveLength(2);
  });

  it("carries on past an item that fails, audits the failure, and warns that the batch was only partly done", async () => {
    state.admin = { id: "a1", email: null, name: null, role: "admin" };
    const result = await disable({ ids: ["gone", "z"] });
    expect(result).toEqual({
      ok: true,
      warning: true,
      data: { done: ["z"], failed: [{ target: "gone", message: "This thing no longer exists." }] },
      message: "1 disabled; 1 could not be: This thing no longer exists.",
    });
    expect(state.events.map((e) => [e.target, e.outcome]).sort()).toEqual([
      ["gone", "failure"],
      ["z", "success"],
    ]);
  });

  it("refuses a viewer once for the batch, audits the refusal per item, and does nothing", async () => {
    state.admin = { id: "v1", email: "viewer@olympus.local", name: null, role: "viewer" };
    expect(await disable({ ids: ["p", "q"] })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(runs).toEqual([]);
    expect(state.events.map((e) => [e.target, e.outcome])).toEqual([
      ["p", "denied"],
      ["q", "denied"],
    ]);
  });

  it("validates the whole batch before acting on any item", async () => {
    state.admin = { id: "a1", email: null, name: null, role: "admin" };
    expect(await disable({ ids: ["a", "b", "c", "d", "e", "f"] })).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(runs).toEqual([]);
  });
});

describe("a refusal about form fields", () => {
  it("reaches the browser with the fields it names, for the form to show beside them", async () => {
    state.admin = { id: "a1", email: null, name: null, role: "admin" };
    const taken = adminAction({ action: "thing.create", input: z.object({}) }, async () => {
      throw new AdminActionError("An identity with this email exists already.", {
        "traits.email": "An identity with this email exists already.",
      });
    });
    expect(await taken({})).toEqual({
      ok: false,
      error: {
        code: "rejected",
        message: "An identity with this email exists already.",
        fields: { "traits.email": "An identity with this email exists already." },
      },
    });
  });
});
