import { DEVSTACK_UPSTREAMS, startCaddy, type RunningCaddy } from "./support/caddy";
import { expect, test } from "./support/fixtures";
import { ADMIN_PATHS, identifyAnswer, IDENTIFYING_PATHS, PUBLIC_HOSTS, routingViolations, type RoutedAnswer } from "./support/routing";

/** Sends every probe path to every public host through `caddy` and notes who answered. */
async function probe(caddy: RunningCaddy): Promise<RoutedAnswer[]> {
  const answers: RoutedAnswer[] = [];
  for (const host of PUBLIC_HOSTS) {
    for (const path of [...IDENTIFYING_PATHS, ...ADMIN_PATHS])
      answers.push({ host, path, answeredBy: identifyAnswer(await caddy.get(host, path)) });
  }
  return answers;
}

/** Who answered one identifying path on one host, as "service domain". */
function who(answers: readonly RoutedAnswer[], host: string, path: string): string {
  const answer = answers.find((a) => a.host === host && a.path === path)?.answeredBy;
  return `${answer?.service} ${answer?.domain ?? "-"}`;
}

test.describe("a real Caddy with the project's Caddyfile in front of the running platform", () => {
  test("each host reaches only its own domain's Hera, Athena, Kratos and Hydra, and no path reaches an admin API", async ({ stack }) => {
    void stack; // the running platform is Caddy's upstream
    const caddy = await startCaddy(DEVSTACK_UPSTREAMS);
    try {
      const answers = await probe(caddy);
      // The probes identify the real services, so the empty list below means something.
      for (const domain of ["ciam", "iam"] as const) {
        expect(who(answers, `${domain}.localhost`, "/api/health")).toBe(`hera ${domain}`);
        expect(who(answers, `${domain}.localhost`, "/.ory/kratos/schemas")).toBe(`kratos ${domain}`);
        expect(who(answers, `${domain}.localhost`, "/.well-known/openid-configuration")).toBe(`hydra ${domain}`);
        expect(who(answers, `admin.${domain}.localhost`, "/api/health")).toBe(`athena ${domain}`);
      }
      expect(routingViolations(answers)).toEqual([]);
    } finally {
      await caddy.stop();
    }
  });
});

test.describe("companion: the routing check fails on a Caddy misrouted on purpose", () => {
  test("IAM's host sent to CIAM Hera (and so to CIAM Kratos through its proxy), CIAM's to CIAM Kratos' admin port", async ({ stack }) => {
    void stack; // the running platform is Caddy's upstream
    // The probes carry no token: the admin port refuses them with its Bearer challenge, which still gives it away.
    // Kratos' public API is Hera's to serve (/.ory/kratos/), so Hera's upstream is the route to break.
    const caddy = await startCaddy({ ...DEVSTACK_UPSTREAMS, IAM_HERA_UPSTREAM: "127.0.0.1:3000", CIAM_HERA_UPSTREAM: "127.0.0.1:3101" });
    try {
      const violations = routingViolations(await probe(caddy));
      expect(violations).toContainEqual({
        host: "iam.localhost",
        path: "/.ory/kratos/schemas",
        answeredBy: { service: "kratos", domain: "ciam" },
      });
      expect(violations).toContainEqual({ host: "ciam.localhost", path: "/admin/identities", answeredBy: { service: "admin-api" } });
    } finally {
      await caddy.stop();
    }
  });
});
