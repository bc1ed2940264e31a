import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureIamAdmin } from "./iam-admin";

/**
 * A Kratos admin port holding one IAM admin whose state a web hook set to
 * `blocked`: Kratos stores any state a hook answers (web_hook.go
 * parseWebhookResponse) and signs in only `active` ones (Identity.IsActive).
 */
let server: Server;
let url = "";
const patches: unknown[] = [];
const admin = {
  id: "8f3c1a52-4a7e-4d0b-9a43-0c1d2e3f4a5b",
  schema_id: "admin",
  state: "blocked",
  traits: { email: "ops@example.com" },
  metadata_admin: { iam_admin_role: "admin" },
};

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader("Content-Type", "application/json");
    if (req.method === "GET") return res.end(JSON.stringify([admin]));
    void bodyOf(req).then((patch) => {
      patches.push(patch);
      res.end(JSON.stringify({ ...admin, state: "active" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("ensureIamAdmin with a state other than active or inactive", () => {
  it("reports the account as not active, and reactivates it when asked", async () => {
    const kept = await ensureIamAdmin({ url }, { email: "ops@example.com", role: "admin" });
    expect(kept).toMatchObject({ outcome: "unchanged", active: false });
    expect(patches).toEqual([]);

    const repaired = await ensureIamAdmin({ url }, { email: "ops@example.com", role: "admin", reactivate: true });
    expect(repaired).toMatchObject({ outcome: "updated", active: true, changes: ["state"] });
    expect(patches).toEqual([[{ op: "replace", path: "/state", value: "active" }]]);
  });
});
