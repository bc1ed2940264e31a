import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/sha";
import { describe, expect, it } from "vitest";
import type { CaptchaPolicy } from "@olympus/athena-store/settings";
import { CaptchaChallenges, deriveCaptchaKeys } from "../captcha/challenges";
import { createCaptchaGate } from "./captcha-gate";
import { createKratosEdge, KRATOS_PROXY_PREFIX } from "./edge";
import type { EdgeLimiter, ResolvedCharge } from "./limiter";
import type { EdgeSignIns } from "./sign-ins";
import type { KratosFlow } from "./submission";

/**
 * The CAPTCHA for submissions Kratos v26.2.0 acts on by GET, its fields read
 * from the query: a recovery link (link/strategy_recovery.go, decoder with
 * HTTPDecoderAllowedMethods("POST", "GET")) and an OIDC registration
 * (oidc/strategy_registration.go newLinkDecoder, the same) need the challenge
 * their POST twins need; so does recovery v2's `recovery_address` (code/
 * strategy_recovery.go recoveryV2HandleStateAwaitingAddress sends to it).
 * Kratos is a stub here that answers flows and records what reaches it.
 */
const FLOW_ID = "5f1c1d4e-8a0b-4c55-9d7e-2f3a4b5c6d7e";
const KRATOS = "http://kratos.test";
const HERA = "https://hera.test";
const POLICY: CaptchaPolicy = { registration: true, recovery: true, loginAfterFailures: 0, difficulty: 1_000 };

const flowOf = (state: string, active?: string): KratosFlow => ({
  id: FLOW_ID,
  type: "browser",
  state,
  ...(active ? { active } : {}),
  ui: { action: `${HERA}${KRATOS_PROXY_PREFIX}/self-service/recovery?flow=${FLOW_ID}`, method: "POST", nodes: [] },
});

function setUp(flow: KratosFlow) {
  const submitted: string[] = [];
  const admitted: ResolvedCharge[][] = [];
  const stub: typeof fetch = async (input) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (/\/self-service\/[a-z]+\/flows\?id=/.test(url)) return Response.json(flow);
    submitted.push(url);
    return Response.json(flow);
  };
  const limiter = {
    config: { client_ip: { trusted_proxies: [] } },
    admit: async (charges: ResolvedCharge[]) => {
      admitted.push(charges);
      return { allowed: true as const, settle: async () => {} };
    },
  } as unknown as EdgeLimiter;
  const signIns = { remember: async () => {}, subjectOf: async () => undefined } as unknown as EdgeSignIns;
  const used = new Set<string>();
  const challenges = new CaptchaChallenges(deriveCaptchaKeys("c1-captcha-get-secret-0123456789abcdef"), {
    claim: async (id) => (used.has(id) ? false : (used.add(id), true)),
  });
  const captcha = createCaptchaGate({ policy: async () => POLICY, challenges, passwordFailures: async () => 0 });
  const edge = createKratosEdge({ kratosUrl: KRATOS, publicUrl: HERA, limiter, signIns, fetch: stub, captcha });
  const solved = async () => {
    const challenge = await challenges.create(POLICY.difficulty);
    const solution = await solveChallenge({ challenge, deriveKey });
    if (!solution) throw new Error("no solution");
    return Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
  };
  const send = (query: string, init: RequestInit = {}) =>
    edge.handle(new Request(`${HERA}${KRATOS_PROXY_PREFIX}/self-service/${query}`, { headers: { accept: "application/json" }, ...init }));
  return { submitted, admitted, solved, send };
}

const captchaRefused = async (answer: Response) => answer.status === 400 && JSON.stringify(await answer.json()).includes("4000038");

describe("the CAPTCHA for GET submissions", () => {
  it("refuses a recovery link asked for by GET without a solved challenge, before Kratos sees it", async () => {
    const { submitted, admitted, send } = setUp(flowOf("choose_method", "link"));
    const answer = await send(`recovery?flow=${FLOW_ID}&method=link&email=victim%40example.com`);
    expect(await captchaRefused(answer)).toBe(true);
    expect(submitted).toEqual([]);
    expect(admitted).toEqual([]);
  });

  it("forwards it with a solved challenge from the query, the payload removed and every other pair as sent", async () => {
    const { submitted, admitted, solved, send } = setUp(flowOf("choose_method", "link"));
    const altcha = encodeURIComponent(await solved());
    const answer = await send(`recovery?flow=${FLOW_ID}&method=link&alt%63ha=${altcha}&email=Victim%40example.com`);
    expect(answer.status).toBe(200);
    expect(submitted).toEqual([`${KRATOS}/self-service/recovery?flow=${FLOW_ID}&method=link&email=Victim%40example.com`]);
    expect(admitted).toEqual([[{ type: "mail", addresses: ["victim@example.com"] }]]);
  });

  it("leaves a mail's recovery link (a token, nothing sent) alone", async () => {
    const { submitted, send } = setUp(flowOf("sent_email", "link"));
    const answer = await send(`recovery?flow=${FLOW_ID}&token=t0k3n`);
    expect(answer.status).toBe(200);
    expect(submitted).toEqual([`${KRATOS}/self-service/recovery?flow=${FLOW_ID}&token=t0k3n`]);
  });

  it("refuses a recovery v2 address without a solved challenge, as it refuses an `email`", async () => {
    const { submitted, send } = setUp(flowOf("recovery_awaiting_address", "code"));
    const answer = await send(`recovery?flow=${FLOW_ID}`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({ method: "code", recovery_address: "victim@example.com" }),
    });
    expect(await captchaRefused(answer)).toBe(true);
    expect(submitted).toEqual([]);
  });

  it("refuses an OIDC registration by GET without a solved challenge, and charges it as a registration with one", async () => {
    const { submitted, admitted, solved, send } = setUp(flowOf("choose_method"));
    expect(await captchaRefused(await send(`registration?flow=${FLOW_ID}&provider=google`))).toBe(true);
    expect(submitted).toEqual([]);
    const altcha = encodeURIComponent(await solved());
    const answer = await send(`registration?flow=${FLOW_ID}&provider=google&altcha=${altcha}`);
    expect(answer.status).toBe(200);
    expect(submitted).toEqual([`${KRATOS}/self-service/registration?flow=${FLOW_ID}&provider=google`]);
    expect(admitted).toEqual([[{ type: "registration" }]]);
  });
});
