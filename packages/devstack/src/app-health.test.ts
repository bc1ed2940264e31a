import { describe, expect, it } from "vitest";
import { appHealthTargets } from "./app-health";
import { DEFAULT_PORTS } from "./options";

const targets = appHealthTargets(DEFAULT_PORTS);
const byName = (name: string) => {
  const target = targets.find((t) => t.name === name);
  if (!target?.accept) throw new Error(`no checked target named ${name}`);
  return { url: target.url, accept: target.accept };
};

describe("the apps the dev stack waits for", () => {
  it("are Hera and Athena for each domain and the demo relying party, on their port-table ports", () => {
    expect(targets.map((t) => [t.name, t.url])).toEqual([
      ["Hera CIAM", "http://127.0.0.1:3000/api/health"],
      ["Athena CIAM", "http://127.0.0.1:3001/api/health"],
      ["Hera IAM", "http://127.0.0.1:4000/api/health"],
      ["Athena IAM", "http://127.0.0.1:4001/api/health"],
      ["demo relying party", "http://127.0.0.1:3002/api/health"],
    ]);
  });

  it("accept only the right app (and domain) on each port", () => {
    const heraIam = byName("Hera IAM");
    expect(heraIam.accept({ status: "ok", app: "hera", domain: "iam" })).toBe(true);
    expect(heraIam.accept({ status: "ok", app: "hera", domain: "ciam" })).toBe(false);
    expect(heraIam.accept({ status: "ok", app: "athena", domain: "iam" })).toBe(false);

    const demo = byName("demo relying party");
    expect(demo.accept({ status: "ok", app: "demo" })).toBe(true);
    expect(demo.accept({ status: "ok", app: "hera", domain: "ciam" })).toBe(false);
    expect(demo.accept({ status: "degraded", app: "demo" })).toBe(false);
    expect(demo.accept("ok")).toBe(false);
    expect(demo.accept(null)).toBe(false);
  });
});
