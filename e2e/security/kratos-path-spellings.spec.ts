import { test as base, expect } from "@playwright/test";
import { z } from "zod";
import { startDevstack } from "../support/devstack";
import { uniqueEmail, workerStack } from "../support/worker-stack";
import { rawRequest } from "./support/raw-http";

// Attack: password guesses past Hera's edge by spelling Kratos' login path differently. Go's mux routes on the
// percent-decoded, cleaned path, so Kratos takes `/self-service/%6Cogin` to its login; an edge that priced only
// the literal `/self-service/login` let every such guess through uncounted. Through Hera's real Next server (which
// hands `%XX` on as sent, cleans `.` and `..` segments and redirects `//` and a trailing slash), every spelling that
// ends at Kratos' password check must cost what the plain one costs, and a locked identifier stays locked in all.

/** IAM Hera's own origin (Node cannot resolve iam.localhost; Hera answers on loopback as on its name). */
const HERA_IAM = "http://127.0.0.1:4000";
const KRATOS_PREFIX = "/.ory/kratos";
/** platform/dev/iam-hera/limits.yml: 5 password guesses per identifier, back-off from the 3rd (at most 1 minute), then a 30-minute lockout. */
const IAM_PASSWORD_MAX = 5;
const IAM_BACKOFF_MAX_SECONDS = 60;
/** Kratos' "The provided credentials are invalid": the guess reached its password check. */
const INVALID_CREDENTIALS = 4000006;
/** The edge's refusal (apps/hera/lib/server/kratos-edge/refusal.ts). */
const RATE_LIMITED = 4000429;

const PLAIN = "/self-service/login";
/** Spellings of the login path under the proxy prefix, each sent exactly as written. */
const SPELLINGS = [
  "/self-service/%6Cogin",
  "/%73elf-service/login",
  "/self-service/log%69n",
  "/self-service/./login",
  "/self-service/x/../login",
  "/self-service/x/%2e%2e/login",
  "/self-service//login",
  "/self-service/login/",
];

/** Only IAM's Hera on the embedded stack: nothing here needs a browser or another app. */
const test = base.extend<object, { hera: string }>({
  hera: workerStack(async () => {
    const backend = await startDevstack([{ app: "hera", domain: "iam" }]);
    return { stack: HERA_IAM, stop: backend.stop };
  }),
});

const flowAnswer = z.object({ ui: z.object({ messages: z.array(z.object({ id: z.number() })).optional() }) });

interface Answer {
  messages: number[];
  /** Seconds from `Retry-After`, when the edge refused the guess. */
  retryAfter: number | undefined;
}

/**
 * One wrong password for `identifier` at a fresh native login flow, POSTed to `spelling` as written. A redirect
 * (Next's answer to `//` or a trailing slash) is followed with the same method and body, as a browser does on 308.
 */
async function guess(hera: string, identifier: string, spelling: string): Promise<Answer> {
  const flow = z.object({ id: z.string() }).parse(await (await fetch(`${hera}${KRATOS_PREFIX}/self-service/login/api`)).json());
  const body = JSON.stringify({ method: "password", identifier, password: "not-the-password-1" });
  const headers = { "Content-Type": "application/json", Accept: "application/json", "Content-Length": String(Buffer.byteLength(body)) };
  let target = `${KRATOS_PREFIX}${spelling}?flow=${flow.id}`;
  for (let hops = 0; ; hops++) {
    const response = await rawRequest(hera, { method: "POST", requestTarget: target, headers, body });
    const location = response.headers.location;
    if ((response.status === 307 || response.status === 308) && location !== undefined && hops < 3) {
      const next = new URL(location, hera);
      expect(next.origin, `${spelling} is redirected on Hera's own origin`).toBe(new URL(hera).origin);
      target = `${next.pathname}${next.search}`;
      continue;
    }
    const retryAfter = response.headers["retry-after"];
    let json: unknown = null;
    try {
      json = JSON.parse(response.body);
    } catch {
      // Not JSON (a 404 page): the expectation below names the answer.
    }
    const parsed = flowAnswer.safeParse(json);
    expect(parsed.success, `${spelling} answers a login flow (${response.status}: ${response.body.slice(0, 200)})`).toBe(true);
    return {
      messages: parsed.data?.ui.messages?.map((m) => m.id) ?? [],
      retryAfter: retryAfter === undefined ? undefined : Number(retryAfter),
    };
  }
}

/**
 * Wrong passwords for one identifier, cycling through `spellings`, until the edge locks it out: back-offs are
 * waited out (a patient attacker's pace). Returns how many guesses reached Kratos' password check first.
 */
async function guessesUntilLocked(hera: string, identifier: string, spellings: string[]): Promise<{ checked: number; lockedFor: number }> {
  let checked = 0;
  for (let attempt = 0; attempt < 4 * IAM_PASSWORD_MAX; attempt++) {
    const spelling = spellings[checked % spellings.length] ?? PLAIN;
    const answer = await guess(hera, identifier, spelling);
    if (answer.retryAfter === undefined) {
      expect(answer.messages, `${spelling} reached Kratos' password check`).toEqual([INVALID_CREDENTIALS]);
      checked++;
      continue;
    }
    expect(answer.messages, `${spelling} was refused by the edge`).toEqual([RATE_LIMITED]);
    const wait = answer.retryAfter;
    if (wait > IAM_BACKOFF_MAX_SECONDS) return { checked, lockedFor: wait };
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 300));
  }
  throw new Error(`${identifier} was never locked out: ${checked} guesses reached Kratos`);
}

test("every spelling of Kratos' login path costs a password guess as the plain one does, and a lockout holds in all", async ({ hera }) => {
  const plain = await guessesUntilLocked(hera, uniqueEmail("plain-path"), [PLAIN]);
  expect(plain.checked).toBe(IAM_PASSWORD_MAX);

  const target = uniqueEmail("path-spellings");
  const mixed = await guessesUntilLocked(hera, target, SPELLINGS);
  expect(mixed.checked, "guesses Kratos checked before the lockout, in mixed spellings").toBe(plain.checked);
  expect(mixed.lockedFor).toBeGreaterThan(IAM_BACKOFF_MAX_SECONDS);

  // Locked: no spelling gets another guess to Kratos.
  for (const spelling of [PLAIN, ...SPELLINGS]) {
    const answer = await guess(hera, target, spelling);
    expect({ spelling, messages: answer.messages }).toEqual({ spelling, messages: [RATE_LIMITED] });
    expect(answer.retryAfter, spelling).toBeGreaterThan(IAM_BACKOFF_MAX_SECONDS);
  }
});
