import { solveChallenge, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/sha";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Browser,
  createApiFlow,
  createPerson,
  freshIp,
  nodeValue,
  STRONG_PASSWORD,
  submit,
  uniqueEmail,
  WRONG_PASSWORD,
  type FlowAnswer,
} from "@/lib/testing/edge-clients";
import { startEdgeStack, TEST_COOKIE_SECRET, type EdgeServer, type EdgeStack } from "@/lib/testing/edge-stack";
import { CaptchaChallenges, deriveCaptchaKeys } from "../captcha/challenges";
import { CAPTCHA_FAILED_MESSAGE_ID } from "../captcha/node";
import { CAPTCHA_SETTING_KEYS } from "@olympus/athena-store/settings";
import { DatabaseUsedChallenges } from "../captcha/used-challenges";
import { CAPTCHA_REFUSAL_COOKIE } from "./captcha-gate";

/**
 * The CAPTCHA at Hera's edge in front of the embedded CIAM Kratos, its policy
 * stored as Athena stores it (olympus_settings) and read on every request.
 * Solutions are computed here with altcha-lib's own solver, as the widget's
 * workers compute them. The refusal is Kratos' validation error for a failed
 * CAPTCHA (text/message_validation.go NewErrorCaptchaFailed, 4000038) on the
 * flow, with the `captcha` group node (ui/node/node.go CaptchaGroup).
 */
type Flow = { id: string; ui: { action: string; nodes: { group?: string; attributes: { name?: string; value?: unknown } }[] } };
const TRUST_LOOPBACK = { client_ip: { trusted_proxies: ["127.0.0.1", "::1"] } };

describe("CAPTCHA at Hera's edge (CIAM)", () => {
  let stack: EdgeStack;
  let hera: EdgeServer;

  beforeAll(async () => {
    stack = await startEdgeStack("ciam", { limits: TRUST_LOOPBACK, captcha: true });
    hera = stack.hera;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function setPolicy(values: Partial<Record<keyof typeof CAPTCHA_SETTING_KEYS, string>>): Promise<void> {
    await stack.db.superuser("DELETE FROM olympus_settings WHERE domain = 'ciam' AND key LIKE 'captcha.%'");
    for (const [name, value] of Object.entries(values))
      await stack.db.superuser("INSERT INTO olympus_settings (domain, key, value) VALUES ('ciam', $1, $2)", [
        CAPTCHA_SETTING_KEYS[name as keyof typeof CAPTCHA_SETTING_KEYS],
        value,
      ]);
  }

  /** A challenge as the widget gets it from GET /api/captcha/challenge, solved as its workers solve it. */
  async function solved(challenges = hera.captcha?.challenges): Promise<string> {
    if (!challenges) throw new Error("the edge has no CAPTCHA");
    const challenge: Challenge = await challenges.create(1_000);
    const solution = await solveChallenge({ challenge, deriveKey });
    if (!solution) throw new Error("no solution");
    return Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
  }

  const forwarded = (path: string) => hera.forwarded.filter((p) => p === path).length;

  async function register(email: string, extra: Record<string, unknown> = {}, ip = freshIp()): Promise<FlowAnswer> {
    const headers = { "X-Forwarded-For": ip };
    const flow = await createApiFlow(hera, "registration", headers);
    return submit(hera, "registration", flow, { method: "password", traits: { email }, password: STRONG_PASSWORD, ...extra }, headers);
  }

  const hasCaptchaNode = (answer: FlowAnswer) => (answer.body as Flow).ui?.nodes.some((n) => n.group === "captcha") ?? false;

  it("refuses a sign-up without a solved challenge before Kratos sees it, with message 4000038 and the widget's node", async () => {
    await setPolicy({ registration: "on" });
    const before = forwarded("/self-service/registration");
    const email = uniqueEmail("robot");
    for (const altcha of [undefined, "", "bm90IGEgcGF5bG9hZA=="]) {
      const answer = await register(email, altcha === undefined ? {} : { altcha });
      expect(answer.status).toBe(400);
      expect(answer.messages).toEqual([CAPTCHA_FAILED_MESSAGE_ID]);
      expect(answer.texts).toEqual(["Captcha verification failed, please try again."]);
      expect(hasCaptchaNode(answer)).toBe(true);
      // Kratos' re-rendered flow: the address shown again, the password never.
      expect(nodeValue(answer.body as Flow, "traits.email")).toBe(email);
      expect(nodeValue(answer.body as Flow, "password")).toBeUndefined();
    }
    expect(forwarded("/self-service/registration")).toBe(before);
    const identities = (await (
      await stack.admin("GET", `/admin/identities?credentials_identifier=${encodeURIComponent(email)}`)
    ).json()) as unknown[];
    expect(identities).toEqual([]);
  });

  it("accepts a sign-up with a solved challenge, once: the same solution again is refused, on another instance too", async () => {
    await setPolicy({ registration: "on" });
    const altcha = await solved();
    const accepted = await register(uniqueEmail("human"), { altcha });
    expect(accepted.status).toBe(200);
    expect((accepted.body as { identity?: { traits?: { email?: string } } }).identity?.traits?.email).toMatch(/^human-/);

    const before = forwarded("/self-service/registration");
    const replayed = await register(uniqueEmail("replay"), { altcha });
    expect(replayed.messages).toEqual([CAPTCHA_FAILED_MESSAGE_ID]);
    // Hera may run several instances: the used challenge is in the olympus database, not in one process.
    const other = await stack.startEdge({ captcha: true });
    const elsewhere = await submit(other, "registration", await createApiFlow(other, "registration"), {
      method: "password",
      traits: { email: uniqueEmail("replay") },
      password: STRONG_PASSWORD,
      altcha,
    });
    expect(elsewhere.messages).toEqual([CAPTCHA_FAILED_MESSAGE_ID]);
    expect(forwarded("/self-service/registration")).toBe(before);
  });

  it("refuses an expired challenge and one signed with another key", async () => {
    await setPolicy({ registration: "on" });
    const used = new DatabaseUsedChallenges(stack.db.pools.ciam, "ciam");
    // Issued ten minutes ago: its five minutes are over.
    const old = new CaptchaChallenges(deriveCaptchaKeys(TEST_COOKIE_SECRET), used, () => Date.now() - 10 * 60_000);
    expect((await register(uniqueEmail("late"), { altcha: await solved(old) })).messages).toEqual([CAPTCHA_FAILED_MESSAGE_ID]);
    const forged = new CaptchaChallenges(deriveCaptchaKeys("another-instance-secret-0123456789abcdef"), used);
    expect((await register(uniqueEmail("forged"), { altcha: await solved(forged) })).messages).toEqual([CAPTCHA_FAILED_MESSAGE_ID]);
    // The same kind of challenge, current and Hera's own, is accepted: the refusals above are the expiry and the key.
    const fresh = new CaptchaChallenges(deriveCaptchaKeys(TEST_COOKIE_SECRET), used);
    expect((await register(uniqueEmail("timely"), { altcha: await solved(fresh) })).status).toBe(200);
  });

  it("leaves sign-up, recovery and sign-in alone while the settings switch it off", async () => {
    await setPolicy({ registration: "off", recovery: "off", loginAfterFailures: "0" });
    const answer = await register(uniqueEmail("free"));
    expect(answer.status).toBe(200);
    expect(hasCaptchaNode(answer)).toBe(false);
    const { email } = await createPerson(stack);
    const ip = freshIp();
    for (let i = 0; i < 3; i++) {
      const wrong = await submit(
        hera,
        "login",
        await createApiFlow(hera, "login", { "X-Forwarded-For": ip }),
        {
          method: "password",
          identifier: email,
          password: WRONG_PASSWORD,
        },
        { "X-Forwarded-For": ip },
      );
      expect(wrong.messages).toEqual([4000006]);
      expect(hasCaptchaNode(wrong)).toBe(false);
    }
  });

  it("asks for it on sign-in once an account has N failed passwords, and lets a solved one through", async () => {
    await setPolicy({ loginAfterFailures: "2" });
    const { email } = await createPerson(stack);
    const attempt = async (password: string, extra: Record<string, unknown> = {}) => {
      const ip = freshIp(); // a new address each time: the account's own count decides
      const headers = { "X-Forwarded-For": ip };
      return submit(
        hera,
        "login",
        await createApiFlow(hera, "login", headers),
        { method: "password", identifier: email, password, ...extra },
        headers,
      );
    };
    const first = await attempt(WRONG_PASSWORD);
    expect(first.messages).toEqual([4000006]);
    expect(hasCaptchaNode(first)).toBe(false);
    const second = await attempt(WRONG_PASSWORD);
    expect(second.messages).toEqual([4000006]);
    // Two failures: the flow Kratos answered with now carries the widget for the next try.
    expect(hasCaptchaNode(second)).toBe(true);

    const before = forwarded("/self-service/login");
    const robot = await attempt(STRONG_PASSWORD);
    expect(robot.status).toBe(400);
    expect(robot.messages).toEqual([CAPTCHA_FAILED_MESSAGE_ID]);
    expect(forwarded("/self-service/login")).toBe(before);

    const human = await attempt(STRONG_PASSWORD, { altcha: await solved() });
    expect(human.status).toBe(200);
    // The right password cleared the account's failures: no CAPTCHA for its next sign-in.
    expect((await attempt(STRONG_PASSWORD)).status).toBe(200);
  });

  it("asks for it on sign-in from a client address with N failed passwords, whatever the account", async () => {
    await setPolicy({ loginAfterFailures: "2" });
    const ip = freshIp();
    const headers = { "X-Forwarded-For": ip };
    const attempt = async (identifier: string, password: string) =>
      submit(hera, "login", await createApiFlow(hera, "login", headers), { method: "password", identifier, password }, headers);
    expect((await attempt(uniqueEmail("spray"), WRONG_PASSWORD)).messages).toEqual([4000006]);
    expect((await attempt(uniqueEmail("spray"), WRONG_PASSWORD)).messages).toEqual([4000006]);
    const { email } = await createPerson(stack);
    expect((await attempt(email, STRONG_PASSWORD)).messages).toEqual([CAPTCHA_FAILED_MESSAGE_ID]);
  });

  it("asks for it when a recovery mail is requested, not when its code is entered", async () => {
    await setPolicy({ recovery: "on" });
    const ip = freshIp();
    const headers = { "X-Forwarded-For": ip };
    const flow = await createApiFlow(hera, "recovery", headers);
    const before = forwarded("/self-service/recovery");
    const robot = await submit(hera, "recovery", flow, { method: "code", email: uniqueEmail("lost") }, headers);
    expect(robot.messages).toEqual([CAPTCHA_FAILED_MESSAGE_ID]);
    expect(forwarded("/self-service/recovery")).toBe(before);
    const human = await submit(hera, "recovery", flow, { method: "code", email: uniqueEmail("lost"), altcha: await solved() }, headers);
    expect(human.status).toBe(200);
    expect((human.body as { state?: string }).state).toBe("sent_email");
    const code = await submit(hera, "recovery", flow, { method: "code", code: "000000" }, headers);
    expect(code.messages).not.toContain(CAPTCHA_FAILED_MESSAGE_ID);
  });

  it("sends a plain form post without a solution back to the page, whose cookie names the flow", async () => {
    await setPolicy({ registration: "on" });
    const browser = new Browser();
    const started = await browser.json(`${hera.kratos}/self-service/registration/browser`);
    const flow = (await started.json()) as Flow;
    const before = forwarded("/self-service/registration");
    const posted = await browser.form(flow.ui.action, {
      csrf_token: nodeValue(flow, "csrf_token") ?? "",
      method: "password",
      "traits.email": uniqueEmail("form"),
      password: STRONG_PASSWORD,
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("location")).toBe(`${hera.url}/registration?flow=${flow.id}`);
    expect(browser.cookies.get(CAPTCHA_REFUSAL_COOKIE)).toBe(flow.id);
    expect(forwarded("/self-service/registration")).toBe(before);

    // With the widget's field the same post goes through (the edge strips the field: captcha-gate.test.ts).
    const accepted = await browser.form(flow.ui.action, {
      csrf_token: nodeValue(flow, "csrf_token") ?? "",
      method: "password",
      "traits.email": uniqueEmail("form"),
      password: STRONG_PASSWORD,
      altcha: await solved(),
    });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get("location")).not.toContain(flow.id);
  });
});
