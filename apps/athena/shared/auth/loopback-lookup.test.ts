import dns, { type LookupAddress } from "node:dns";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loopbackLookup } from "./loopback-lookup";

function lookup(hostname: string, all: boolean): Promise<unknown> {
  return new Promise((resolve, reject) => {
    loopbackLookup(hostname, { all }, (error, address, family) => (error ? reject(error) : resolve(all ? address : [address, family])));
  });
}

/** What the system resolver answers for every name, for the length of one test. */
function systemResolverAnswers(answer: LookupAddress[] | NodeJS.ErrnoException): void {
  vi.spyOn(dns, "lookup").mockImplementation(((_host: string, _options: unknown, callback: (e: unknown, a?: unknown) => void) => {
    if (answer instanceof Error) callback(answer);
    else callback(null, answer);
  }) as unknown as typeof dns.lookup);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("loopbackLookup", () => {
  it("resolves *.localhost to 127.0.0.1 when the system resolver does not know it (the embedded stack)", async () => {
    systemResolverAnswers(Object.assign(new Error("getaddrinfo ENOTFOUND iam.localhost"), { code: "ENOTFOUND" }));
    expect(await lookup("iam.localhost", false)).toEqual(["127.0.0.1", 4]);
    expect(await lookup("IAM.LOCALHOST", true)).toEqual([{ address: "127.0.0.1", family: 4 }]);
  });

  it("keeps 127.0.0.1 when the resolver answers loopback only (systemd-resolved, ::1 first)", async () => {
    systemResolverAnswers([
      { address: "::1", family: 6 },
      { address: "127.0.0.1", family: 4 },
    ]);
    expect(await lookup("iam.localhost", false)).toEqual(["127.0.0.1", 4]);
  });

  // In dev Compose 127.0.0.1 would be Athena's own container, not IAM Hydra.
  it("uses the resolver's answer when it names another host: in dev Compose, IAM Hydra's container by its alias", async () => {
    systemResolverAnswers([{ address: "172.18.0.7", family: 4 }]);
    expect(await lookup("iam.localhost", false)).toEqual(["172.18.0.7", 4]);
    expect(await lookup("iam.localhost", true)).toEqual([{ address: "172.18.0.7", family: 4 }]);
  });

  it("hands other names to the system resolver", async () => {
    expect(await lookup("127.0.0.2", false)).toEqual(["127.0.0.2", 4]);
  });
});
