import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Identity } from "@olympus/ory-client/admin";
import { pagedSource } from "@/shared/testing/paged";

/**
 * The per-process cache over the figures (their computation is covered
 * against the embedded stack in stats/collect.test.ts). Kratos and Hydra are
 * stand-ins here so the clock can be moved.
 */
const data: { identities: Identity[] } = { identities: [] };
const identitySource = pagedSource(() => data.identities);
const empty = pagedSource(() => []);
vi.mock("@/shared/server/ory", () => ({
  kratosAdmin: () => ({
    listIdentities: async (params: { pageSize: number; pageToken?: string }) => identitySource.page(params),
    getIdentity: async (id: string) => data.identities.find((i) => i.id === id),
    listSessions: async (params: { pageSize: number; pageToken?: string }) => empty.page(params),
    listCourierMessages: async (params: { pageSize: number; pageToken?: string }) => empty.page(params),
  }),
  hydraAdmin: () => ({ listClients: async (params: { pageSize: number; pageToken?: string }) => empty.page(params) }),
}));

const NOW = new Date("2026-03-14T12:00:00Z");
const identity = (n: number): Identity => ({
  id: `id-${n}`,
  schema_id: "customer",
  schema_url: "http://kratos/schemas/customer",
  traits: { email: `c${n}@example.com` },
  created_at: NOW.toISOString(),
});

async function freshModule() {
  // The figures are cached per process; each test starts with an empty cache.
  vi.resetModules();
  return import("./stats");
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  data.identities = [identity(1), identity(2)];
});
afterEach(() => {
  vi.useRealTimers();
});

describe("dashboardStats", () => {
  it("serves cached figures for two minutes, then the stale ones while fresh ones are computed", async () => {
    const { dashboardStats } = await freshModule();
    expect((await dashboardStats()).totals.identities).toBe(2);
    data.identities = [...data.identities, identity(3)];
    vi.setSystemTime(new Date(NOW.getTime() + 60_000));
    expect((await dashboardStats()).totals.identities).toBe(2);
    vi.setSystemTime(new Date(NOW.getTime() + 3 * 60_000));
    expect((await dashboardStats()).totals.identities).toBe(2);
    await vi.waitFor(async () => expect((await dashboardStats()).totals.identities).toBe(3));
  });
});
