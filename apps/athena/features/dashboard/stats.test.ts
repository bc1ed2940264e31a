import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Identity, Message, OAuth2Client, Session } from "@olympus/ory-client/admin";
import { pagedSource } from "@/shared/testing/paged";

// What the domain's Kratos and Hydra hold; each list is paged the way the admin APIs page it.
const data: { identities: Identity[]; sessions: Session[]; clients: OAuth2Client[]; messages: Message[] } = {
  identities: [],
  sessions: [],
  clients: [],
  messages: [],
};
const identitySource = pagedSource(() => data.identities);
const sessionSource = pagedSource(() => data.sessions);
const clientSource = pagedSource(() => data.clients);
vi.mock("@/shared/server/ory", () => ({
  kratosAdmin: () => ({
    listIdentities: async (params: { pageSize: number; pageToken?: string }) => identitySource.page(params),
    listSessions: async (params: { pageSize: number; pageToken?: string }) => sessionSource.page(params),
    listCourierMessages: async (params: { pageSize: number; pageToken?: string; status?: string }) =>
      pagedSource(() => data.messages.filter((m) => !params.status || m.status === params.status)).page(params),
  }),
  // Hydra pages clients 500 at a time at most; two clients per page here, so the totals must follow the tokens.
  hydraAdmin: () => ({
    listClients: async (params: { pageToken?: string }) => clientSource.page({ pageSize: 2, pageToken: params.pageToken }),
  }),
}));

const NOW = new Date("2026-03-14T12:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

function identity(n: number, createdAt: string, verified: boolean): Identity {
  return {
    id: `id-${n}`,
    schema_id: "customer",
    schema_url: "http://kratos/schemas/customer",
    traits: { email: `c${n}@example.com` },
    created_at: createdAt,
    verifiable_addresses: [{ id: `a${n}`, value: `c${n}@example.com`, via: "email", verified, status: verified ? "completed" : "pending" }],
  };
}
const session = (n: number, authenticatedAt: string, active: boolean): Session => ({
  id: `s-${n}`,
  active,
  authenticated_at: authenticatedAt,
});
const message = (n: number, status: Message["status"]): Message => ({
  id: `m-${n}`,
  status,
  type: "email",
  recipient: `c${n}@example.com`,
  body: "",
  subject: "Recover",
  template_type: "recovery_code_valid",
  send_count: 1,
  created_at: NOW.toISOString(),
  updated_at: NOW.toISOString(),
});

async function freshModule() {
  // The figures are cached per process; each test starts with an empty cache.
  vi.resetModules();
  return import("./stats");
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  data.identities = [
    identity(1, daysAgo(0), true),
    identity(2, daysAgo(0), true),
    identity(3, daysAgo(0), false),
    identity(4, daysAgo(2), false),
    identity(5, daysAgo(30), true),
  ];
  data.sessions = [
    session(1, daysAgo(0), true),
    session(2, daysAgo(0), true),
    session(3, daysAgo(1), false),
    session(4, daysAgo(40), true),
  ];
  data.clients = Array.from({ length: 5 }, (_, i) => ({ client_id: `client-${i}` }));
  data.messages = [message(1, "abandoned"), message(2, "sent"), message(3, "abandoned"), message(4, "queued")];
});

afterEach(() => {
  vi.useRealTimers();
});

describe("dashboardStats", () => {
  it("counts the totals from the admin APIs", async () => {
    const { dashboardStats } = await freshModule();
    const stats = await dashboardStats();
    expect(stats).toMatchObject({ identities: 5, activeSessions: 3, oauth2Clients: 5, failedMessages: 2, truncated: false });
    expect(stats.verificationRate).toBeCloseTo(3 / 5);
  });

  it("charts the last 14 days, ending today, from creation and sign-in times", async () => {
    const { CHART_DAYS, dashboardStats } = await freshModule();
    const stats = await dashboardStats();
    const byDay = <P extends { day: string }>(series: P[], n: number) => series.find((point) => point.day === daysAgo(n).slice(0, 10));
    expect(stats.signUpsPerDay.map((p) => p.day)).toHaveLength(CHART_DAYS);
    expect(stats.signUpsPerDay.at(-1)?.day).toBe("2026-03-14");
    expect(stats.signUpsPerDay[0]?.day).toBe("2026-03-01");
    expect(byDay(stats.signUpsPerDay, 0)).toEqual({ day: "2026-03-14", count: 3 });
    expect(byDay(stats.signUpsPerDay, 2)).toEqual({ day: "2026-03-12", count: 1 });
    // Older sign-ups and sign-ins count in the totals but fall outside the chart.
    expect(stats.signUpsPerDay.reduce((sum, p) => sum + p.count, 0)).toBe(4);
    expect(byDay(stats.signInsPerDay, 0)?.count).toBe(2);
    expect(byDay(stats.signInsPerDay, 1)?.count).toBe(1);
    expect(stats.signInsPerDay.reduce((sum, p) => sum + p.count, 0)).toBe(3);
    // The verification rate of each day's sign-ups; no sign-ups means no rate, not zero.
    expect(byDay(stats.verifiedPerDay, 0)?.rate).toBeCloseTo(2 / 3);
    expect(byDay(stats.verifiedPerDay, 2)?.rate).toBe(0);
    expect(byDay(stats.verifiedPerDay, 1)?.rate).toBeNull();
  });

  it("has no verification rate for a domain without identities", async () => {
    data.identities = [];
    const { dashboardStats } = await freshModule();
    expect(await dashboardStats()).toMatchObject({ identities: 0, verificationRate: null });
  });

  it("serves cached figures for two minutes, then the stale ones while fresh ones are computed", async () => {
    const { dashboardStats } = await freshModule();
    expect((await dashboardStats()).identities).toBe(5);
    data.identities = [...data.identities, identity(6, daysAgo(0), true)];
    vi.setSystemTime(new Date(NOW.getTime() + 60_000));
    expect((await dashboardStats()).identities).toBe(5);
    vi.setSystemTime(new Date(NOW.getTime() + 3 * 60_000));
    expect((await dashboardStats()).identities).toBe(5);
    await vi.waitFor(async () => expect((await dashboardStats()).identities).toBe(6));
  });
});
