import { chromium, type BrowserContext, type Page } from "@playwright/test";
import { signInToAthena } from "../athena/support/sign-in";
import { cookiesLeakingTo, parentDomainSetCookies, storedCookie, type JarCookie } from "./support/cookies";
import { devDsn } from "./support/databases";
import { expect, test, uniqueEmail } from "./support/fixtures";
import { apiLoginToken, createCustomer, serversAcceptingForeignSession, whoamiStatus } from "./support/kratos-sessions";
import { authorizationUrl, CIAM_DEMO_CLIENT } from "./support/oauth2";
import { originsSettingCookies, SetCookieRecorder } from "./support/set-cookie-recorder";
import type { DomainSide } from "./support/stack";
import { startThrowawayKratos } from "./support/throwaway-kratos";

const PASSWORD = "isolation-Check-pw-2024";

/** Every browser-facing URL of a domain: a cookie sent to any of them has crossed the boundary. */
function browserUrls(side: DomainSide): string[] {
  return [
    side.hera,
    `${side.hera}/login`,
    side.athena,
    `${side.kratosPublic.replace("127.0.0.1", side.host)}/sessions/whoami`,
    `${side.hydraBrowser}/oauth2/auth`,
  ];
}

/** What the browser itself would send to each of `urls`, and what the pure check says from the whole jar. */
async function leaksTo(context: BrowserContext, urls: string[]): Promise<{ browser: JarCookie[]; check: JarCookie[] }> {
  const jar = await context.cookies();
  return { browser: await context.cookies(urls), check: urls.flatMap((url) => cookiesLeakingTo(url, jar)) };
}

async function signInOnHera(page: Page, side: DomainSide, email: string, password: string): Promise<void> {
  await page.goto(`${side.hera}/login`);
  await expect(page).toHaveURL(/\/login\?flow=/);
  await page.getByTestId("ory/form/node/input/identifier").fill(email);
  await page.getByTestId("ory/form/node/input/password").fill(password);
  await page.getByRole("button", { name: "Sign in with password" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

test.describe("cookies stay on their own domain's host", () => {
  test.describe.configure({ mode: "serial" });
  const recorder = new SetCookieRecorder();
  let ciamEmail = "";

  test.beforeAll(async ({ stack }) => {
    ciamEmail = uniqueEmail("cookie-customer");
    await createCustomer(stack.ciam.kratosAdmin, stack.ciam.adminToken, ciamEmail, PASSWORD);
  });

  test("after signing in on CIAM (Hera, then CIAM Hydra), nothing is sent to the IAM host", async ({ browser, stack }) => {
    const context = await browser.newContext();
    recorder.watch(context);
    const page = await context.newPage();
    await signInOnHera(page, stack.ciam, ciamEmail, PASSWORD);
    const callback = page.waitForRequest((request) => request.url().startsWith(CIAM_DEMO_CLIENT.redirectUri));
    // The demo relying party is not part of this stack, so the last hop (to its callback) cannot
    // connect; what matters is that the browser went through CIAM Hydra and got a code for it.
    await page.goto(authorizationUrl(stack.ciam.hydraBrowser, CIAM_DEMO_CLIENT).href).catch(() => undefined);
    expect(new URL((await callback).url()).searchParams.get("code")).toBeTruthy();

    // The check had something to look at: CIAM's session, host-only on the CIAM host.
    const session = (await context.cookies()).find((c) => c.name === "ciam_kratos_session");
    expect(session?.domain).toBe(stack.ciam.host);
    expect(await leaksTo(context, browserUrls(stack.iam))).toEqual({ browser: [], check: [] });
    await context.close();
  });

  test("after signing in on IAM (Athena IAM through IAM Hydra and Hera), nothing is sent to the CIAM host", async ({ browser, stack }) => {
    const context = await browser.newContext();
    recorder.watch(context);
    const page = await context.newPage();
    await signInToAthena(page, stack.iam.athena, stack.admin.email, stack.admin.password);

    const names = (await context.cookies()).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(["iam_kratos_session", "athena.session"]));
    expect(await leaksTo(context, browserUrls(stack.ciam))).toEqual({ browser: [], check: [] });
    await context.close();
  });

  test("no Set-Cookie from Hera, Kratos, Hydra or Athena of either domain carries a Domain attribute", async ({ browser, stack }) => {
    // Athena CIAM too (it lives on the CIAM host and signs employees in through IAM).
    const context = await browser.newContext();
    recorder.watch(context);
    await signInToAthena(await context.newPage(), stack.ciam.athena, stack.admin.email, stack.admin.password);
    await context.close();
    // And the APIs as a script calls them.
    for (const side of [stack.ciam, stack.iam]) {
      await recorder.fetch(`${side.kratosPublic}/self-service/login/browser`);
      await recorder.fetch(`${side.hera}/self-service/login/browser`.replace(side.host, "127.0.0.1"));
    }

    const records = await recorder.all();
    // Every service that sets cookies was seen doing so, so none escaped the check.
    const ports = (side: DomainSide) => [side.hera, side.athena, side.kratosPublic, side.hydraBrowser].map((url) => new URL(url).port);
    const seenPorts = originsSettingCookies(records).map((origin) => new URL(origin).port);
    expect(seenPorts).toEqual(expect.arrayContaining([...ports(stack.ciam), ...ports(stack.iam)]));
    expect(parentDomainSetCookies(records)).toEqual([]);
  });

  test("a CIAM session (token or cookie) is rejected by IAM Kratos' whoami", async ({ stack }) => {
    const token = await apiLoginToken(stack.ciam.kratosPublic, ciamEmail, PASSWORD);
    expect(await whoamiStatus(stack.ciam.kratosPublic, { token })).toBe(200);
    expect(
      serversAcceptingForeignSession({
        "IAM Kratos (X-Session-Token)": await whoamiStatus(stack.iam.kratosPublic, { token }),
        // The same token presented as IAM's own session cookie.
        "IAM Kratos (cookie)": await whoamiStatus(stack.iam.kratosPublic, { cookie: `iam_kratos_session=${token}` }),
      }),
    ).toEqual([]);
  });
});

test.describe("companions: the cookie checks fail on a boundary broken on purpose", () => {
  test("a Kratos configured with the parent cookie domain is caught by both checks", async ({ stack }) => {
    // Domain=localhost is not a domain a browser will store for ciam.localhost, so the broken
    // setup uses a parent domain browsers do accept, as production would: example.com.
    const email = uniqueEmail("broken-cookie");
    await createCustomer(stack.ciam.kratosAdmin, stack.ciam.adminToken, email, PASSWORD);
    const broken = await startThrowawayKratos({
      config: "ciam",
      dsn: devDsn("ciam_kratos"),
      publicHost: "ciam.example.com",
      edits: [
        { from: "    name: ciam_kratos_session\n", to: "    name: ciam_kratos_session\n    domain: example.com\n" },
        { from: "cookies:\n  path: /\n", to: "cookies:\n  domain: example.com\n  path: /\n" },
      ],
    });
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--host-resolver-rules=MAP *.example.com 127.0.0.1"],
    });
    try {
      const context = await browser.newContext();
      const recorder = new SetCookieRecorder();
      recorder.watch(context);
      const page = await context.newPage();
      await page.goto(`${broken.browserUrl}/health/alive`);
      // A single-page app's sign-in against the broken Kratos, from its own origin.
      const status = await page.evaluate(
        async ({ email, password }) => {
          const flow = await (await fetch("/self-service/login/browser", { headers: { Accept: "application/json" } })).json();
          const csrf = flow.ui.nodes.find((n: { attributes: { name?: string } }) => n.attributes.name === "csrf_token")?.attributes.value;
          const login = await fetch(flow.ui.action, {
            method: "POST",
            headers: { Accept: "application/json", "Content-Type": "application/json" },
            body: JSON.stringify({ method: "password", identifier: email, password, csrf_token: csrf }),
          });
          return login.status;
        },
        { email, password: PASSWORD },
      );
      expect(status).toBe(200);

      const leaked = await leaksTo(context, ["http://iam.example.com:4000/"]);
      expect(leaked.browser.map((c) => c.name)).toContain("ciam_kratos_session");
      expect(leaked.check.map((c) => c.name)).toContain("ciam_kratos_session");
      const flagged = parentDomainSetCookies(await recorder.all()).map((r) => r.header.split("=")[0]);
      expect(flagged).toEqual(expect.arrayContaining(["ciam_kratos_session"]));
    } finally {
      await browser.close();
      await broken.stop();
    }
  });

  test("an IAM Kratos started on CIAM's database accepts the CIAM session, and the check says so", async ({ stack }) => {
    const email = uniqueEmail("shared-db");
    await createCustomer(stack.ciam.kratosAdmin, stack.ciam.adminToken, email, PASSWORD);
    const token = await apiLoginToken(stack.ciam.kratosPublic, email, PASSWORD);
    // The shared-DATABASE_URL mistake the devstack's seed guard refuses: IAM's config, CIAM's DSN.
    const broken = await startThrowawayKratos({ config: "iam", dsn: devDsn("ciam_kratos"), publicHost: "iam.localhost" });
    try {
      expect(serversAcceptingForeignSession({ "IAM Kratos on CIAM's database": await whoamiStatus(broken.publicUrl, { token }) })).toEqual([
        "IAM Kratos on CIAM's database",
      ]);
    } finally {
      await broken.stop();
    }
  });

  test("the pure checks flag a parent-domain Set-Cookie and the cookie a browser would store from it", () => {
    const leaky = {
      url: "https://ciam.example.com/self-service/login",
      header: "ciam_kratos_session=abc; Path=/; Domain=.example.com; HttpOnly; Secure",
    };
    const hostOnly = { url: leaky.url, header: "csrf_token_x=1; Path=/; HttpOnly" };
    expect(parentDomainSetCookies([leaky, hostOnly])).toEqual([leaky]);
    const jar = [leaky, hostOnly].flatMap((record) => storedCookie(record) ?? []);
    expect(jar.map((cookie) => cookie.domain)).toEqual([".example.com", "ciam.example.com"]);
    expect(cookiesLeakingTo("https://iam.example.com/login", jar).map((c) => c.name)).toEqual(["ciam_kratos_session"]);
    expect(cookiesLeakingTo("http://iam.example.com/login", jar)).toEqual([]); // Secure: not over http
    expect(cookiesLeakingTo("https://ciam.example.com/login", jar)).toHaveLength(2);
  });
});
