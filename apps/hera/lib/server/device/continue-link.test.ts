import { describe, expect, it } from "vitest";
import { continuePath, openContinueLink } from "./continue-link";

const SECRET = "a-cookie-secret-of-sufficient-length";
const HYDRA = "http://ciam.localhost:3102/oauth2/device/verify?client_id=tv&device_verifier=v";

function parts(path: string) {
  const query = new URL(path, "http://hera").searchParams;
  return { to: query.get("to") ?? undefined, sig: query.get("sig") ?? undefined };
}

describe("the no-JavaScript continuation to Hydra", () => {
  it("opens only what Hera sealed", () => {
    const { to, sig } = parts(continuePath(SECRET, HYDRA));
    expect(openContinueLink(SECRET, to, sig)).toBe(HYDRA);
  });

  it("refuses another target, another secret's seal, or none (no open redirect)", () => {
    const { sig } = parts(continuePath(SECRET, HYDRA));
    expect(openContinueLink(SECRET, "https://evil.example/", sig)).toBeUndefined();
    expect(openContinueLink("another-secret-of-sufficient-length", HYDRA, sig)).toBeUndefined();
    expect(openContinueLink(SECRET, HYDRA, undefined)).toBeUndefined();
    expect(openContinueLink(SECRET, HYDRA, "")).toBeUndefined();
  });

  it("never opens a non-web URL, sealed or not", () => {
    const { to, sig } = parts(continuePath(SECRET, "javascript:alert(1)"));
    expect(openContinueLink(SECRET, to, sig)).toBeUndefined();
  });
});
