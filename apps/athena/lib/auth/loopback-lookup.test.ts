import { describe, expect, it } from "vitest";
import { loopbackLookup } from "./loopback-lookup";

function lookup(hostname: string, all: boolean): Promise<unknown> {
  return new Promise((resolve, reject) => {
    loopbackLookup(hostname, { all }, (error, address, family) => (error ? reject(error) : resolve(all ? address : [address, family])));
  });
}

describe("loopbackLookup", () => {
  it("resolves *.localhost to 127.0.0.1, single and all", async () => {
    expect(await lookup("iam.localhost", false)).toEqual(["127.0.0.1", 4]);
    expect(await lookup("IAM.LOCALHOST", true)).toEqual([{ address: "127.0.0.1", family: 4 }]);
  });

  it("hands other names to the system resolver", async () => {
    expect(await lookup("127.0.0.2", false)).toEqual(["127.0.0.2", 4]);
  });
});
