import { Configuration, CourierApi, type Message } from "@ory/client";
import { freePort } from "@olympus/test-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIdentity, expectFailure, startMailKratos, type MailKratos } from "../selfservice/strategy/code/test-helpers";
import { startKratos, startTestPostgres, uniqueEmail, type TestKratos, type TestPostgres } from "../testing/harness";
import { eventually } from "./test-channel-target";
import { codeFrom, TestSmtpServer } from "./test-smtp";

async function requestRecovery(kratos: TestKratos, email: string): Promise<void> {
  const { data: flow } = await kratos.frontend.createNativeRecoveryFlow();
  await kratos.frontend.updateRecoveryFlow({ flow: flow.id, updateRecoveryFlowBody: { method: "code", email } });
}

describe("courier: queue, SMTP delivery, retries and the admin API", () => {
  let pg: TestPostgres;
  let smtp: TestSmtpServer;
  let kratos: MailKratos;

  beforeAll(async () => {
    [pg, smtp] = await Promise.all([startTestPostgres(), TestSmtpServer.start()]);
    kratos = await startMailKratos(pg, "ciam_courier", smtp);
  });
  afterAll(async () => {
    await kratos?.close();
    await smtp?.stop();
    await pg?.stop();
  });

  const messageTo = async (recipient: string) => (await kratos.courier.listCourierMessages({ recipient })).data[0];

  it("keeps a message queued while the SMTP server is down and delivers it when it is back", async () => {
    const email = uniqueEmail("retry");
    await createIdentity(kratos, email);
    await smtp.stop();
    try {
      await requestRecovery(kratos, email);
      const failed = await eventually(async () => {
        const m = await messageTo(email);
        return m && m.send_count >= 1 && m.status === "queued" ? m : undefined;
      });
      const { data: detail } = await kratos.courier.getCourierMessage({ id: failed.id });
      expect(detail.dispatches?.[0]).toMatchObject({ status: "failed", message_id: failed.id });
      expect(JSON.stringify(detail.dispatches?.[0]?.error)).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      await smtp.listen();
    }
    const mail = await smtp.waitFor(email);
    expect(codeFrom(mail)).toMatch(/^\d{6}$/);
    const sent = await eventually(async () => {
      const m = await messageTo(email);
      return m?.status === "sent" ? m : undefined;
    });
    expect(sent.send_count).toBeGreaterThanOrEqual(2);
    const { data: detail } = await kratos.courier.getCourierMessage({ id: sent.id });
    expect(detail.dispatches?.map((d) => d.status)).toContain("success");
  });

  it("lists messages newest first with keyset pagination, filters and single-message lookup", async () => {
    const recipients = [uniqueEmail("page-a"), uniqueEmail("page-b"), uniqueEmail("page-c")];
    for (const r of recipients) {
      await createIdentity(kratos, r);
      await requestRecovery(kratos, r);
      await smtp.waitFor(r);
    }
    const first = await kratos.courier.listCourierMessages({ pageSize: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.data.map((m) => m.recipient)).toEqual([recipients[2], recipients[1]]);
    const link = String(first.headers.link);
    expect(link).toContain('rel="first"');
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1];
    expect(next).toBeDefined();
    const pageToken = new URL(next ?? "", kratos.adminUrl).searchParams.get("page_token") ?? "";
    const second = await kratos.courier.listCourierMessages({ pageSize: 2, pageToken });
    expect(second.data[0]?.recipient).toBe(recipients[0]);

    const sent = await kratos.courier.listCourierMessages({ status: "sent", recipient: recipients[0] });
    expect(sent.data).toHaveLength(1);
    const message: Message = (await kratos.courier.getCourierMessage({ id: sent.data[0]?.id ?? "" })).data;
    expect(message).toMatchObject({
      status: "sent",
      type: "email",
      recipient: recipients[0],
      template_type: "recovery_code_valid",
      send_count: 1,
    });
    expect(message.subject).toBe("Olympus: Recover access to your account");
    expect(message.body).toContain("Enter this code to recover your account");

    expect((await expectFailure(kratos.courier.getCourierMessage({ id: "00000000-0000-4000-8000-000000000000" }))).status).toBe(404);
    expect((await expectFailure(kratos.courier.getCourierMessage({ id: "not-a-uuid" }))).status).toBe(400);
    const badStatus = await fetch(`${kratos.adminUrl}/admin/courier/messages?status=lost`);
    expect(badStatus.status).toBe(400);
  });

  it("abandons a message after courier.message_retries failed retries and redacts bodies outside dev mode", async () => {
    const deadPort = await freePort();
    const strict = await startKratos(pg, "ciam_courier_abandon", {
      configOverrides: {
        courier: {
          smtp: { connection_uri: `smtp://127.0.0.1:${deadPort}/?disable_starttls=true` },
          worker: { pull_wait: "50ms" },
          message_retries: 1,
        },
      },
    });
    try {
      const courier = new CourierApi(new Configuration({ basePath: strict.adminUrl }));
      const email = uniqueEmail("abandon");
      await createIdentity(strict, email);
      await requestRecovery(strict, email);
      const abandoned = await eventually(async () => {
        const m = (await courier.listCourierMessages({ recipient: email })).data[0];
        return m?.status === "abandoned" ? m : undefined;
      });
      expect(abandoned.send_count).toBe(2);
      expect(abandoned.subject).toBe("<redacted-unless-dev-mode>");
      expect(abandoned.body).toBe("<redacted-unless-dev-mode>");
      const { data: detail } = await courier.getCourierMessage({ id: abandoned.id });
      expect(detail.dispatches?.map((d) => d.status)).toEqual(["failed", "failed"]);
    } finally {
      await strict.close();
    }
  });

  // courier/handler.go listCourierMessages / getCourierMessage: bodies are kept when
  // IsInsecureDevMode, which `serve --dev` turns on whatever the file says (the dev stack runs so).
  it("shows subjects and bodies when started with the dev flag (Kratos' --dev), the config file not saying dev", async () => {
    const deadPort = await freePort();
    const dev = await startKratos(pg, "ciam_courier_dev_flag", {
      dev: true,
      configOverrides: { courier: { smtp: { connection_uri: `smtp://127.0.0.1:${deadPort}/?disable_starttls=true` } } },
    });
    try {
      const courier = new CourierApi(new Configuration({ basePath: dev.adminUrl }));
      const email = uniqueEmail("dev-flag");
      await createIdentity(dev, email);
      await requestRecovery(dev, email);
      const message = await eventually(async () => (await courier.listCourierMessages({ recipient: email })).data[0]);
      expect(message.subject).toBe("Olympus: Recover access to your account");
      expect(message.body).toMatch(/\b\d{6}\b/);
      expect((await courier.getCourierMessage({ id: message.id })).data.body).toBe(message.body);
    } finally {
      await dev.close();
    }
  });
});
