import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptInvitation, passwordLogin } from "../testing/invitation-browser";
import { startTestIamStack, type TestIamStack } from "../testing/iam-stack";
import { olympus } from "../testing/run";

interface AdminJson {
  email: string;
  identityId: string;
  role: string;
  previousRole: string | null;
  outcome: string;
  changes: string[];
  signInsEnded: boolean;
  invitation: { link: string; code: string; expiresAt: string; delivery: string } | null;
}

describe("olympus admin add against an embedded IAM stack", () => {
  let stack: TestIamStack;

  beforeAll(async () => {
    stack = await startTestIamStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const adminAdd = async (args: string[]) => {
    const run = await olympus(["admin", "add", ...args, "--json"], stack.env);
    if (run.code !== 0) throw new Error(`admin add exited ${run.code}: ${run.stdout}${run.stderr}`);
    return (run.json() as { admin: AdminJson }).admin;
  };

  it("creates a viewer without a password whose printed invitation lets them choose one and sign in", async () => {
    const admin = await adminAdd(["Jane.Viewer@Example.com"]);
    expect(admin).toMatchObject({
      email: "jane.viewer@example.com",
      role: "viewer",
      previousRole: null,
      outcome: "created",
      invitation: { delivery: "printed" },
    });
    const stored = (await stack.admin("kratos", "GET", `/admin/identities/${admin.identityId}`)).body;
    expect(stored).toMatchObject({
      schema_id: "admin",
      state: "active",
      traits: { email: "jane.viewer@example.com", name: { first: "Jane", last: "Viewer" } },
      metadata_admin: { iam_admin_role: "viewer" },
    });

    const password = "Invited-and-chose-a-long-passphrase-42";
    expect(await passwordLogin(stack.kratos.publicUrl, "jane.viewer@example.com", password)).toBe(400);
    if (!admin.invitation) throw new Error("no invitation");
    const accepted = await acceptInvitation(stack.kratos.publicUrl, admin.invitation, password);
    expect(accepted.identityId).toBe(admin.identityId);
    expect(await passwordLogin(stack.kratos.publicUrl, "jane.viewer@example.com", password)).toBe(200);
  });

  it("prints the invitation once for a person, in human output too", async () => {
    const run = await olympus(["admin", "add", "sam.ops@example.com", "--role", "admin", "--name", "Sam Ops"], stack.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^IAM admin sam\.ops@example\.com: created with role admin, identity [0-9a-f-]{36}$/m);
    expect(run.stdout).toMatch(/invitation for sam\.ops@example\.com, valid until .+ shown only here, not mailed/);
    // IAM's recovery page on Hera (the dev config's ui_url), with the flow the code belongs to.
    expect(run.stdout).toMatch(/^ {2}link: http:\/\/iam\.localhost:4000\/recovery\?flow=[0-9a-f-]{36}$/m);
    expect(run.stdout).toMatch(/^ {2}code: \d{6}$/m);
    expect(run.stderr).toMatch(/· IAM admin sam\.ops@example\.com: checking in IAM Kratos…/);

    const again = await olympus(["admin", "add", "sam.ops@example.com", "--role", "admin"], stack.env);
    expect(again.stdout).toMatch(/unchanged \(role admin\)/);
    expect(again.stdout).not.toMatch(/recovery\?flow=|code:/);
  });

  it("is idempotent, changes only the role of an existing identity, and ends a demoted admin's sign-ins", async () => {
    const created = await adminAdd(["kim@example.com", "--role", "viewer"]);
    const same = await adminAdd(["kim@example.com", "--role", "viewer"]);
    expect(same).toMatchObject({ identityId: created.identityId, outcome: "unchanged", invitation: null, signInsEnded: false });

    const promoted = await adminAdd(["kim@example.com", "--role", "admin"]);
    expect(promoted).toMatchObject({
      outcome: "updated",
      changes: ["iam_admin_role"],
      previousRole: "viewer",
      role: "admin",
      signInsEnded: false,
      invitation: null,
    });

    const demoted = await adminAdd(["kim@example.com", "--role", "viewer", "--invite"]);
    expect(demoted).toMatchObject({ outcome: "updated", previousRole: "admin", role: "viewer", signInsEnded: true });
    expect(demoted.invitation?.link).toMatch(/recovery\?flow=/);
    expect(demoted.invitation?.code).toMatch(/^\d{6}$/);
    const consents = await stack.admin("hydra", "GET", `/admin/oauth2/auth/sessions/consent?subject=${created.identityId}`);
    expect(consents).toEqual({ status: 200, body: [] });
    expect((await stack.admin("kratos", "GET", `/admin/identities/${created.identityId}`)).body).toMatchObject({
      metadata_admin: { iam_admin_role: "viewer" },
    });
  });

  it.each([
    [["admin", "add", "not-an-email"], /<email> "not-an-email" is not an email address/],
    [["admin", "add", "x@example.com", "--role", "owner"], /--role "owner" is not an Athena role; use viewer or admin/],
    [["admin", "add"], /usage: olympus admin add <email>/],
    [["admin", "add", "x@example.com", "--expires-in", "tomorrow"], /--expires-in "tomorrow" is not a duration/],
    [["admin", "add", "x@example.com", "--colour"], /Unknown option '--colour'.*see olympus admin add --help/],
  ])("refuses %j with one line and exit code 2", async (args, message) => {
    const run = await olympus(args, stack.env);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});
