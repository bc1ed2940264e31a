import type { Browser, BrowserContext, Page } from "@playwright/test";
import { enrolTotpInSettings } from "../support/mfa";
import { createPerson, type Person } from "./support/identities";
import type { SecurityDomain, SecurityStack } from "./support/stack";
import { expect, test, uniqueEmail } from "./support/fixtures";
import { signInAtHera } from "./support/ui";

// Attack: login CSRF across browsers. The attacker starts a sign-in at a client in
// his own browser, stops at Hera's `/login?login_challenge=X` and sends that link to
// the victim. Hera accepts X with the victim's Kratos session; the attacker then
// resumes the authorization from his own browser. Before the fix Hydra's decision sat
// on the authorization itself, so the attacker's browser came back signed in as the
// victim. Real Hydra binds the verifier to the browser that started the flow (a CSRF
// cookie) and answers `request_forbidden` anywhere else; so does the embedded Hydra.

interface Target {
  name: string;
  /** Opens the client's page and starts its sign-in; Hydra then sends the browser to Hera. */
  start: (page: Page) => Promise<void>;
  /** Whether the page shows the client signed in as `person`. */
  signedInAs: (page: Page, person: Person) => Promise<boolean>;
  /** The Hera (and so the stack) the sign-in goes through. */
  domain: (stack: SecurityStack) => SecurityDomain;
  victim: (stack: SecurityStack) => Promise<Person>;
}

const athena = (which: "ciam" | "iam"): Target => ({
  name: `Athena ${which.toUpperCase()}`,
  start: async (page) => {
    const url = which === "ciam" ? "http://ciam.localhost:3001" : "http://iam.localhost:4001";
    await page.goto(`${url}/signin`);
    await page.getByRole("button", { name: "Sign in with Olympus Workforce" }).click();
  },
  signedInAs: async (page) => {
    const url = new URL(page.url());
    return (url.port === "3001" || url.port === "4001") && url.pathname === "/" && (await page.getByTestId("dashboard-title").isVisible());
  },
  domain: (stack) => stack.iam,
  victim: (stack) => createPerson(stack.iam, uniqueEmail("victim-admin"), { role: "admin" }),
});

const TARGETS: Target[] = [
  {
    name: "the demo shop",
    start: async (page) => {
      await page.goto("http://ciam.localhost:3002/");
      await page.getByTestId("sign-in").click();
    },
    signedInAs: async (page, person) => {
      const email = page.getByTestId("email");
      return (await email.isVisible()) && (await email.innerText()) === person.email;
    },
    domain: (stack) => stack.ciam,
    victim: (stack) => createPerson(stack.ciam, uniqueEmail("victim-customer")),
  },
  athena("ciam"),
  athena("iam"),
];

/** Starts the client's sign-in and returns Hera's login link with the challenge (the attacker's bait). */
async function baitLink(page: Page, target: Target, hera: string): Promise<string> {
  const challengeRequest = page.waitForRequest((request) => request.url().startsWith(`${hera}/login?login_challenge=`));
  await target.start(page);
  return (await challengeRequest).url();
}

/** Everything the attacker's own browser can try to continue the authorization it started. */
async function attackerResumes(page: Page, context: BrowserContext, hydraOrigin: string): Promise<void> {
  // oidc-provider's resume cookie names the authorization's resume path (it is scoped to
  // that path, so it is listed only among all of the context's cookies); the attacker owns his cookies.
  const hydraHost = new URL(hydraOrigin).hostname;
  const resume = (await context.cookies()).find(
    (cookie) => cookie.domain.replace(/^\./, "") === hydraHost && cookie.path.startsWith("/oauth2/auth/"),
  );
  expect(resume, "the attacker's browser holds the authorization's resume cookie").toBeDefined();
  if (resume) await page.goto(`${hydraOrigin}${resume.path}`).catch(() => undefined);
  await page.waitForLoadState("networkidle").catch(() => undefined);
}

async function freshContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext();
}

for (const target of TARGETS) {
  test(`a sign-in link accepted by the victim does not sign the attacker in to ${target.name}`, async ({ browser, stack }) => {
    const domain = target.domain(stack);
    const victim = await target.victim(stack);
    const attackerContext = await freshContext(browser);
    const victimContext = await freshContext(browser);
    try {
      const attacker = await attackerContext.newPage();
      const link = await baitLink(attacker, target, domain.hera);
      expect(link).toContain("login_challenge=");

      const victimPage = await victimContext.newPage();
      await signInAtHera(victimPage, domain.hera, victim.email, victim.password);
      // IAM accepts a login only with a second factor: the victim has one, so Hera does accept the
      // challenge with the victim's session, and what stops the attack is Hydra's browser binding.
      if (domain.name === "iam") await enrolTotpInSettings(victimPage, domain.hera, victim.email);
      // The victim follows the link: Hera accepts the challenge with the victim's session.
      await victimPage.goto(link);
      await victimPage.waitForLoadState("networkidle").catch(() => undefined);
      // Hydra refuses to continue in a browser that did not start the authorization.
      expect(await target.signedInAs(victimPage, victim)).toBe(false);

      await attackerResumes(attacker, attackerContext, new URL(domain.issuer).origin);
      expect(await target.signedInAs(attacker, victim), "the attacker must not be signed in as the victim").toBe(false);
      // Opening the client again does not help either: the attacker has no session of his own anywhere.
      await target.start(attacker);
      await attacker.waitForURL((url) => url.origin === domain.hera);
      expect(await target.signedInAs(attacker, victim)).toBe(false);
    } finally {
      await attackerContext.close();
      await victimContext.close();
    }
  });
}
