import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { goNetworkText } from "./go-net-errors";
import { GuardUnavailableError, sendGuarded } from "./provider-address-guard";
import { GUARD_INTERNALS, missingGuardInternals } from "./provider-address-guard-self-check";

/**
 * The guard's startup self-check: Kratos refuses private addresses in its
 * dialer (ory/x httpx/ssrf.go, code.dny.dev/ssrf as the net.Dialer's
 * Control), which cannot be bypassed; ours hooks Node internals
 * (provider-address-guard.ts), so a process lacking one must refuse the
 * provider calls under `disallow_private_ip_ranges` instead of sending them
 * unguarded.
 */

/** A socket that drops the block list it was given before connecting, as a Node without net.Socket's `blockList` would. */
function blockListIgnoringSocket(): Socket {
  const socket = new Socket();
  socket.connect = new Proxy(socket.connect.bind(socket), {
    apply(connect, self: unknown, args: unknown[]): unknown {
      Object.defineProperty(socket, "blockList", { value: undefined, writable: true, configurable: true });
      return Reflect.apply(connect, self, args);
    },
  });
  return socket;
}

const unsentResponse = () => Promise.resolve(new Response("ok"));

describe("the address guard's self-check (once per process, fails closed)", () => {
  it("finds every internal the guard relies on in this Node", async () => {
    expect(await missingGuardInternals()).toEqual([]);
  });

  it("names the diagnostics channels a fetch that does not publish them leaves missing", async () => {
    expect(await missingGuardInternals({ fetch: unsentResponse, socket: () => new Socket() })).toEqual([
      "net.client.socket",
      "undici:request:create",
      "undici:client:sendHeaders",
    ]);
  });

  it("names net.Socket's blockList when a socket connects through the block list it was given", async () => {
    expect(await missingGuardInternals({ fetch: (url) => fetch(url), socket: blockListIgnoringSocket })).toEqual(["net.Socket blockList"]);
  });

  it("refuses a provider call under disallow_private_ip_ranges when an internal is missing, without sending it", async () => {
    let sent = false;
    const send = () => {
      sent = true;
      return Promise.resolve("answer");
    };
    const missing = () => Promise.resolve(["undici:client:sendHeaders"] as const);
    const error: unknown = await sendGuarded(
      "https://idp.example/.well-known/openid-configuration",
      { disallowPrivateIpRanges: true },
      send,
      missing,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GuardUnavailableError);
    expect((error as Error).message).toBe(
      "clients.http.disallow_private_ip_ranges is on, but this Node.js lacks what the provider calls' address guard relies on (undici:client:sendHeaders): provider calls are refused",
    );
    expect(sent).toBe(false);
  });

  it("names the refusal in the provider call's error text (url.Error around the round trip's error), not as a decode failure", () => {
    const url = "https://idp.example/.well-known/openid-configuration";
    const wrapped = new Error("something went wrong", { cause: new GuardUnavailableError(["net.client.socket"]) });
    expect(goNetworkText("Get", url, wrapped)).toBe(
      `Get "${url}": clients.http.disallow_private_ip_ranges is on, but this Node.js lacks what the provider calls' address guard relies on (net.client.socket): provider calls are refused`,
    );
  });

  it("sends the call when the option is off (nothing to enforce) or the internals are all there", async () => {
    const missing = () => Promise.resolve(GUARD_INTERNALS);
    expect(await sendGuarded("https://idp.example/", { disallowPrivateIpRanges: false }, () => Promise.resolve("off"), missing)).toBe(
      "off",
    );
    const none = () => Promise.resolve([] as const);
    expect(await sendGuarded("https://idp.example/", { disallowPrivateIpRanges: true }, () => Promise.resolve("on"), none)).toBe("on");
  });
});
