import type { Locator, Page, Response } from "@playwright/test";
import { generateSync } from "otplib";

/**
 * Second factors in journeys. Hera IAM requires one (MFA_REQUIRED, no grace
 * period): an employee without an authenticator is sent to Hera's settings
 * to enrol one on the first sign-in to any IAM application (both Athenas
 * included), and afterwards asked for a code after the password. These
 * helpers play the employee's authenticator app: they enrol one when Hera
 * asks, answer with its code when Hera asks, and remember each address's
 * secret for the rest of the run. A run's secrets live in this module, i.e.
 * per Playwright worker, and every worker starts its own throwaway stack.
 */

const secrets = new Map<string, string>();

/** Ory Elements' test id of a flow input. */
const field = (page: Page, name: string) => page.getByTestId(`ory/form/node/input/${name}`);

/** The authenticator secret enrolled for `email` in this run, if any. */
export function totpSecretOf(email: string): string | undefined {
  return secrets.get(email.toLowerCase());
}

/** The current code of `email`'s authenticator. */
export function totpCodeFor(email: string): string {
  const secret = totpSecretOf(email);
  if (!secret) {
    throw new Error(
      `Hera asks ${email} for an authenticator code, but no authenticator was enrolled for it in this run ` +
        "(an external stack that kept an earlier run's data? reset it, or sign in with a fresh identity)",
    );
  }
  return generateSync({ secret });
}

/** Whether Hera shows the authenticator enrolment of its settings page. */
async function showsEnrolment(page: Page, url: URL): Promise<boolean> {
  if (url.pathname !== "/settings" || !url.searchParams.has("flow")) return false;
  return (await field(page, "totp_secret_key").isVisible()) && page.url() === url.href;
}

/** Whether Hera shows the second-factor step of a sign-in. */
async function showsCodeStep(page: Page, url: URL): Promise<boolean> {
  if (url.pathname !== "/login" || !url.searchParams.has("flow")) return false;
  if (!(await field(page, "totp_code").isVisible())) return false;
  // `url` was read before the check: the browser may have moved on meanwhile to the
  // enrolment page in settings, whose form has a `totp_code` field too.
  return page.url() === url.href && !(await field(page, "totp_secret_key").isVisible());
}

/** Kratos' answer to a settings or login submission from the page. */
const isFlowSubmission = (response: Response) =>
  response.request().method() === "POST" && /\/self-service\/(login|settings)\?/.test(response.url());

/**
 * Where Ory Elements sends the browser after this answer: `elsewhere`
 * (Kratos' `continue_with`, or a 422 redirect), `reload` (a settings success
 * without `return_to`: Kratos' PostSettingsHook points `redirect_browser_to`
 * at the settings page it came from) or nowhere.
 */
async function movesOn(response: Response, before: string): Promise<"elsewhere" | "reload" | undefined> {
  if (response.status() === 422) return "elsewhere";
  if (response.status() >= 400) return undefined;
  const body: unknown = await response.json().catch(() => undefined);
  const continueWith = typeof body === "object" && body !== null && "continue_with" in body ? body.continue_with : undefined;
  if (!Array.isArray(continueWith) || continueWith.length === 0) return undefined;
  const redirects = continueWith.filter(
    (item): item is { redirect_browser_to: string } => typeof (item as { redirect_browser_to?: unknown }).redirect_browser_to === "string",
  );
  return redirects.length === continueWith.length && redirects.every((item) => sameUrl(item.redirect_browser_to, before))
    ? "reload"
    : "elsewhere";
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

/**
 * Types a one-time code into the `totp_code` field and submits it, then
 * waits for Kratos' answer and, when it moves the browser on, for the page to
 * leave. Ory Elements' one-time-code input may submit its form by itself once
 * the last digit is in (the field is then disabled while Kratos answers): the
 * submit button is pressed only when that did not happen.
 */
export async function enterCode(page: Page, code: string, submit: Locator): Promise<void> {
  const before = page.url();
  const input = field(page, "totp_code");
  const answer = page.waitForResponse(isFlowSubmission, { timeout: 30_000 });
  answer.catch(() => undefined);
  const reloaded = page.waitForEvent("load", { timeout: 30_000 });
  reloaded.catch(() => undefined);
  // A refused code may still be in the field.
  await input.fill("");
  await input.click();
  await page.keyboard.type(code);
  const submittedItself = await Promise.race([answer.then(() => true), page.waitForTimeout(1_500).then(() => false)]);
  if (!submittedItself && (await input.isEnabled().catch(() => false)) && (await submit.isEnabled().catch(() => false)))
    await submit.click();
  const response = await answer;
  const next = await movesOn(response, before);
  if (next === "elsewhere") await page.waitForURL((url) => url.href !== before, { timeout: 30_000 });
  if (next === "reload") await reloaded;
}

/**
 * Enrols an authenticator app on Hera's settings page (open) for `email`:
 * reads the secret Kratos shows beside the QR code, confirms it with a code
 * and remembers it. Returns the secret.
 */
export async function enrolTotp(page: Page, email: string): Promise<string> {
  const form = page.getByTestId("ory/screen/settings/group/totp");
  const secretField = field(page, "totp_secret_key");
  await secretField.waitFor({ state: "visible" });
  const secret = await secretField.inputValue();
  if (!/^[A-Z2-7]{16,}$/.test(secret)) throw new Error(`Hera's settings show no usable authenticator secret for ${email}: "${secret}"`);
  secrets.set(email.toLowerCase(), secret);
  await enterCode(page, generateSync({ secret }), form.getByRole("button", { name: "Save" }));
  return secret;
}

/**
 * Enrols an authenticator for the person signed in to `hera` (outside any
 * sign-in to an application) on Hera's settings page. Kratos adds the new
 * factor to the session, which is then at aal2.
 */
export async function enrolTotpInSettings(page: Page, hera: string, email: string): Promise<string> {
  await page.goto(`${hera}/settings`);
  await page.waitForURL(/\/settings\?flow=/);
  const secret = await enrolTotp(page, email);
  await page
    .getByText(/your changes have been saved/i)
    .first()
    .waitFor({ state: "visible" });
  return secret;
}

/** Answers Hera's second-factor step (open) with the code of `email`'s authenticator. */
export async function answerTotp(page: Page, email: string): Promise<void> {
  await enterCode(page, totpCodeFor(email), page.getByRole("button", { name: /continue|verify|sign in/i }).first());
}

/**
 * On a Hera IAM flow page a sign-in reached: waits until it shows the
 * password form, the second-factor step or the authenticator enrolment,
 * and says whether it asks for the password (a browser whose IAM session
 * only lacks the second factor goes straight to the other two).
 */
export async function heraAsksForPassword(page: Page): Promise<boolean> {
  const password = field(page, "password");
  await password.or(field(page, "totp_code")).or(field(page, "totp_secret_key")).first().waitFor({ state: "visible" });
  return password.isVisible();
}

export type SecondFactorStep = "enrolled" | "answered";

/**
 * Takes a sign-in whose password was just submitted at Hera IAM on to where
 * `arrived` says it is done (the client, Hera's consent page, …), passing
 * the second factor on the way: enrolling an authenticator when Hera sends
 * the browser to settings for it (which then continues the sign-in), or
 * answering with its code when Hera asks for one. `arrived` must not match
 * Hera's own /login or /settings pages. Returns the steps taken, in order.
 */
export async function passSecondFactor(
  page: Page,
  email: string,
  arrived: (url: URL) => boolean,
  timeoutMs = 60_000,
): Promise<SecondFactorStep[]> {
  const steps: SecondFactorStep[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const url = new URL(page.url());
    if (arrived(url)) return steps;
    const step: SecondFactorStep | undefined = (await showsEnrolment(page, url))
      ? "enrolled"
      : (await showsCodeStep(page, url))
        ? "answered"
        : undefined;
    if (step) {
      if (step === "enrolled") await enrolTotp(page, email);
      else await answerTotp(page, email);
      steps.push(step);
      // Saved or answered: the page has moved on (back through Hydra's login), or shows why not.
      if (page.url() === url.href)
        throw new Error(`Hera did not accept the ${step === "enrolled" ? "enrolment" : "code"} of ${email} at ${url.href}`);
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(
        `the sign-in of ${email} did not arrive; it stopped at ${page.url()} after ${steps.join(", ") || "no second-factor step"}`,
      );
    await page.waitForTimeout(200);
  }
}
