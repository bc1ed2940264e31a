import { Configuration, CourierApi, type RecoveryFlow } from "@ory/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startKratos,
  startKratosWithPostgres,
  stopKratosAndPostgres,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "../../../testing/harness";
import { ENDPOINT_DISABLED_MESSAGE } from "../disabled-endpoint";
import { createIdentity, inputs, messageIds } from "./test-helpers";

/**
 * Kratos v26.2.0 code/strategy_recovery.go Strategy.Recover makes
 * flow.MethodEnabledAndAllowed(code, body.Method) after its CSRF and session
 * checks: a submission on a code flow whose `method` is not `code` is
 * ErrStrategyNotResponsible, and recovery/handler.go updateRecoveryFlow asks
 * the next strategy — link/strategy_recovery.go Recover mails a link
 * (recoveryHandleFormSubmission, its email input upserted by name into the
 * link group, state sent_email, active link, 1060002) — or, when none takes
 * it, answers NewNoRecoveryStrategyResponsible (4010005). Two servers share
 * one database: `on` (the CIAM config: recovery uses code, link enabled) and
 * `noLink` (the link method off).
 */
describe("code recovery: a submission with another method goes on to the next strategy", () => {
  let pg: TestPostgres;
  let on: TestKratos;
  let noLink: TestKratos;
  let courier: CourierApi;

  beforeAll(async () => {
    ({ pg, kratos: on } = await startKratosWithPostgres("ciam_code_recovery_handoff"));
    noLink = await startKratos(pg, "ciam_code_recovery_handoff", {
      existingDatabase: true,
      configOverrides: { selfservice: { methods: { link: { enabled: false } } } },
    });
    courier = new CourierApi(new Configuration({ basePath: on.adminUrl }));
  });
  afterAll(async () => {
    await noLink?.close();
    await stopKratosAndPostgres(on, pg);
  });

  async function submit(kratos: TestKratos, flowId: string, body: Record<string, unknown>) {
    const res = await fetch(`${kratos.publicUrl}/self-service/recovery?flow=${flowId}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function templatesSentTo(recipient: string): Promise<string[]> {
    const { data } = await courier.listCourierMessages({ recipient });
    return data.map((m) => m.template_type);
  }

  it("method=link on a code flow: the link strategy mails a link and the flow becomes a link flow", async () => {
    const email = uniqueEmail("handoff-link");
    await createIdentity(on, email);
    const { data: flow } = await on.frontend.createNativeRecoveryFlow();
    expect(flow.active).toBe("code");

    const res = await submit(on, flow.id, { method: "link", email });
    expect(res.status).toBe(200);
    const after = res.body as unknown as RecoveryFlow;
    expect(after.state).toBe("sent_email");
    expect(after.active).toBe("link");
    expect(messageIds(after)).toEqual([1060002]);
    expect(inputs(after).find((n) => n.name === "email")).toMatchObject({ group: "link", value: email });
    expect(await templatesSentTo(email)).toEqual(["recovery_valid"]);
  });

  it("no method on a code flow: no strategy is responsible (4010005) and nothing is sent", async () => {
    const email = uniqueEmail("handoff-none");
    await createIdentity(on, email);
    const { data: flow } = await on.frontend.createNativeRecoveryFlow();

    const res = await submit(on, flow.id, { email });
    expect(res.status).toBe(400);
    const after = res.body as unknown as RecoveryFlow;
    expect(after.state).toBe("choose_method");
    expect(messageIds(after)).toEqual([4010005]);
    expect(await templatesSentTo(email)).toEqual([]);
  });

  it("method=link with the link method off: the link strategy's MethodEnabledAndAllowed answers the 404", async () => {
    const email = uniqueEmail("handoff-off");
    const { data: flow } = await on.frontend.createNativeRecoveryFlow();

    const res = await submit(noLink, flow.id, { method: "link", email });
    expect(res.status).toBe(404);
    expect((res.body as { error?: { reason?: string } }).error?.reason).toBe(ENDPOINT_DISABLED_MESSAGE);
  });

  it("method=code still mails a code", async () => {
    const email = uniqueEmail("handoff-code");
    await createIdentity(on, email);
    const { data: flow } = await on.frontend.createNativeRecoveryFlow();

    const res = await submit(on, flow.id, { method: "code", email });
    expect(res.status).toBe(200);
    expect((res.body as unknown as RecoveryFlow).active).toBe("code");
    expect(messageIds(res.body as unknown as RecoveryFlow)).toEqual([1060003]);
    expect(await templatesSentTo(email)).toEqual(["recovery_code_valid"]);
  });
});
