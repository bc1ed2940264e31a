import { describe, expect, it } from "vitest";
import { PerInstanceFetchCache } from "./cache";

describe("PerInstanceFetchCache (Kratos' package-level jsonnetCache, one per instance here)", () => {
  it("gives each instance its own cache, so a source one instance fetched is never served to another", () => {
    const caches = new PerInstanceFetchCache(1024);
    const ciam = {};
    const iam = {};
    caches.of(ciam).set("https://templates.example/body.jsonnet", Buffer.from("ciam"), 60_000);
    expect(caches.of(ciam).get("https://templates.example/body.jsonnet")?.toString()).toBe("ciam");
    expect(caches.of(iam).get("https://templates.example/body.jsonnet")).toBeUndefined();
    expect(caches.of(ciam)).toBe(caches.of(ciam));
  });
});
