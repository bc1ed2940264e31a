import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Configuration, FrontendApi, IdentityApi } from "@ory/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { TestSmtpServer } from "../courier/test-smtp";
import { startEmbeddedKratos, type EmbeddedKratos } from "../index";
import { CIAM_CONFIG, FAST_HASHING, startTestPostgres, uniqueEmail, type TestPostgres } from "../testing/harness";
import { loadKratosConfig } from "./load";

/** Replaces the file the way the settings sync does: a temporary file renamed over it. */
async function writeAtomically(file: string, content: unknown): Promise<void> {
  const temporary = `${file}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, typeof content === "string" ? content : stringify(content));
  await rename(temporary, file);
}

async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const smtpOverlay = (smtp: TestSmtpServer, extra: Record<string, unknown> = {}) => ({
  courier: { smtp: { connection_uri: smtp.connectionUri, from_address: `no-reply-${smtp.port}@ciam.localhost` } },
  ...extra,
});

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ek-reload-"));
  return () => rm(dir, { recursive: true, force: true });
});

// Merging follows ory/x configx (provider.go, createProviders/newKoanf): each -c file is loaded over the previous ones.
describe("loadKratosConfig with several files (kratos serve -c base -c overlay)", () => {
  it("merges mappings key by key, later files win, lists are replaced", async () => {
    const overlay = path.join(dir, "overlay.yml");
    await writeFile(
      overlay,
      stringify({
        courier: { smtp: { connection_uri: "smtps://u:p@smtp.example.com:465/" } },
        selfservice: { allowed_return_urls: ["https://only.example/"] },
      }),
    );
    const base = loadKratosConfig(CIAM_CONFIG, { warn: () => {} });
    const merged = loadKratosConfig([CIAM_CONFIG, overlay], { warn: () => {} });
    expect(merged.sources).toEqual([CIAM_CONFIG, overlay]);
    expect(merged.courier.smtp?.connection_uri).toBe("smtps://u:p@smtp.example.com:465/");
    // Untouched siblings of an overlaid key stay from the base file.
    expect(merged.courier.smtp?.from_address).toBe(base.courier.smtp?.from_address);
    expect(merged.courier.message_retries).toBe(base.courier.message_retries);
    expect(merged.selfservice.allowed_return_urls).toEqual(["https://only.example/"]);
    // Relative schema URLs still resolve against the base file's folder.
    expect(merged.identity.schemas[0]?.file).toBe(base.identity.schemas[0]?.file);
  });

  it("an empty overlay adds nothing; a broken one names its file", async () => {
    const overlay = path.join(dir, "overlay.yml");
    await writeFile(overlay, "");
    expect(loadKratosConfig([CIAM_CONFIG, overlay], { warn: () => {} }).courier).toEqual(
      loadKratosConfig(CIAM_CONFIG, { warn: () => {} }).courier,
    );
    await writeFile(overlay, "- a list\n");
    expect(() => loadKratosConfig([CIAM_CONFIG, overlay], { warn: () => {} })).toThrow(`Kratos config ${overlay} must be a YAML mapping`);
  });
});

// Reload as ory/x configx Provider.reload and Kratos' courier (courier_dispatcher.go `channels`: the SMTP channel is built from the current config per message).
describe("config reload while running: the next mail goes where the changed overlay says", () => {
  let pg: TestPostgres;
  let first: TestSmtpServer;
  let second: TestSmtpServer;
  let kratos: EmbeddedKratos | undefined;
  let logs: string[];

  beforeAll(async () => {
    [pg, first, second] = await Promise.all([startTestPostgres(), TestSmtpServer.start(), TestSmtpServer.start()]);
  });
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await pg?.stop();
  });
  beforeEach(() => async () => {
    await kratos?.close();
    kratos = undefined;
  });

  let databases = 0;
  async function start(overlay: string) {
    logs = [];
    kratos = await startEmbeddedKratos({
      configPath: [CIAM_CONFIG, overlay],
      dsn: await pg.createDatabase(`ciam_reload_${databases++}`),
      publicPort: 0,
      adminPort: 0,
      configOverrides: { ...FAST_HASHING, dev: true, courier: { worker: { pull_wait: "100ms" } } },
      log: (line) => logs.push(line),
    });
    const frontend = new FrontendApi(new Configuration({ basePath: kratos.publicUrl }));
    const identity = new IdentityApi(new Configuration({ basePath: kratos.adminUrl }));
    /** Asks for a recovery code, which the courier mails. */
    return async (email: string) => {
      await identity.createIdentity({ createIdentityBody: { schema_id: "default", traits: { email } } });
      const { data: flow } = await frontend.createNativeRecoveryFlow();
      await frontend.updateRecoveryFlow({ flow: flow.id, updateRecoveryFlowBody: { method: "code", email } });
    };
  }
  const reloads = () => logs.filter((line) => line.includes("configuration reloaded")).length;

  it("a rewritten overlay switches the SMTP server and sender for the next message", async () => {
    const overlay = path.join(dir, "overlay.yml");
    await writeFile(overlay, stringify(smtpOverlay(first)));
    const mailRecoveryCode = await start(overlay);

    const before = uniqueEmail("before");
    await mailRecoveryCode(before);
    expect((await first.waitFor(before)).from).toContain(`no-reply-${first.port}@`);

    await writeAtomically(overlay, smtpOverlay(second));
    await eventually(() => reloads() === 1);
    const after = uniqueEmail("after");
    await mailRecoveryCode(after);
    const mail = await second.waitFor(after);
    expect(mail.from).toContain(`no-reply-${second.port}@`);
    expect(first.mails.some((m) => m.to.includes(after))).toBe(false);
  });

  it("an invalid revision is refused and logged; the last working one keeps delivering", async () => {
    const overlay = path.join(dir, "overlay.yml");
    await writeFile(overlay, stringify(smtpOverlay(first)));
    const mailRecoveryCode = await start(overlay);

    await writeAtomically(overlay, { courier: { smtp: { connection_uri: `http://127.0.0.1:${second.port}/` } } });
    await eventually(() => logs.some((line) => line.includes("the changed configuration is invalid")));
    await writeAtomically(overlay, "courier: [unclosed\n");
    await eventually(() => logs.filter((line) => line.includes("the changed configuration is invalid")).length === 2);
    expect(reloads()).toBe(0);

    const email = uniqueEmail("still-first");
    await mailRecoveryCode(email);
    await first.waitFor(email);
  });

  it("a revision whose identity schema fails Kratos' identity meta-schema is applied and the failure logged (config.go New: the watcher runs validateIdentitySchemas)", async () => {
    const overlay = path.join(dir, "overlay.yml");
    await writeFile(overlay, stringify(smtpOverlay(first)));
    const mailRecoveryCode = await start(overlay);

    const schema = path.join(dir, "fax.schema.json");
    await writeFile(
      schema,
      JSON.stringify({
        type: "object",
        properties: {
          traits: { type: "object", properties: { email: { type: "string", "ory.sh/kratos": { recovery: { via: "fax" } } } } },
        },
      }),
    );
    const identity = { default_schema_id: "default", schemas: [{ id: "default", url: `file://${schema}` }] };
    await writeAtomically(overlay, smtpOverlay(second, { identity }));
    await eventually(() => reloads() === 1);
    const failure = logs.find((line) => line.includes("The changed identity schema configuration is invalid and could not be loaded."));
    expect(failure).toContain(
      'I[#/properties/traits/properties/email/ory.sh~1kratos/recovery/via] S[#/allOf/0/properties/ory.sh~1kratos/properties/recovery/properties/via/enum] value must be one of "email", "sms"',
    );
    // The rest of the revision applies; the running schemas are the start-up ones.
    const email = uniqueEmail("schema-refused");
    await mailRecoveryCode(email);
    await second.waitFor(email);
  });

  it("an overlay that switches social sign-in on adds the provider buttons to the next login flow, no restart (the oidc strategy reads `enabled` per request)", async () => {
    const overlay = path.join(dir, "overlay.yml");
    await writeFile(overlay, stringify(smtpOverlay(first)));
    await start(overlay);
    if (!kratos) throw new Error("not started");
    const frontend = new FrontendApi(new Configuration({ basePath: kratos.publicUrl }));
    const providerButtons = async () => {
      const { data: flow } = await frontend.createNativeLoginFlow();
      return flow.ui.nodes.filter((node) => node.group === "oidc").map((node) => (node.attributes as { value?: unknown }).value);
    };
    expect(await providerButtons()).toEqual([]);

    const provider = {
      id: "corporate",
      provider: "generic",
      label: "Corporate",
      client_id: "olympus",
      client_secret: "secret",
      issuer_url: "https://id.example.com",
      scope: ["openid", "email"],
      mapper_url: "base64://e30=",
    };
    await writeAtomically(overlay, {
      ...smtpOverlay(first),
      selfservice: { methods: { oidc: { enabled: true, config: { providers: [provider] } } } },
    });
    await eventually(() => reloads() === 1);
    expect(logs.some((line) => line.includes("selfservice.methods.oidc.enabled"))).toBe(false);
    expect(await providerButtons()).toEqual(["corporate"]);
  });

  it("a revision changing serve.* is refused as a whole (Kratos' immutable keys); start-up-only keys keep their value with a warning", async () => {
    const overlay = path.join(dir, "overlay.yml");
    await writeFile(overlay, stringify(smtpOverlay(first)));
    const mailRecoveryCode = await start(overlay);

    await writeAtomically(overlay, smtpOverlay(second, { serve: { admin: { host: "0.0.0.0" } } }));
    await eventually(() => logs.some((line) => line.includes('config key "serve" cannot change while the server runs')));
    expect(reloads()).toBe(0);
    const refused = uniqueEmail("refused");
    await mailRecoveryCode(refused);
    await first.waitFor(refused);

    await writeAtomically(overlay, smtpOverlay(second, { courier: { ...smtpOverlay(second).courier, message_retries: 2 } }));
    await eventually(() => reloads() === 1);
    expect(logs.some((line) => line.includes('config key "courier.message_retries" changed') && line.includes("after a restart"))).toBe(
      true,
    );
    const applied = uniqueEmail("applied");
    await mailRecoveryCode(applied);
    await second.waitFor(applied);
  });
});
