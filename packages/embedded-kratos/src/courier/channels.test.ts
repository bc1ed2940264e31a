import { describe, expect, it } from "vitest";
import { loadKratosConfig } from "../config/load";
import { CIAM_CONFIG } from "../testing/harness";
import { courierChannels, findChannel } from "./channels";

const configWith = (courier: Record<string, unknown>) => loadKratosConfig(CIAM_CONFIG, { overrides: { courier }, warn: () => {} });

describe("courier channels (driver/config/config.go CourierChannels, courier_dispatcher.go channels)", () => {
  it("lists the configured channels first, then the legacy email channel of courier.delivery_strategy", () => {
    const smtp = courierChannels(
      configWith({ channels: [{ id: "sms", type: "http", request_config: { url: "https://sms.example/send" } }] }),
    );
    expect(smtp.map((c) => [c.id, c.type])).toEqual([
      ["sms", "http"],
      ["email", "smtp"],
    ]);
    const http = findChannel(
      configWith({ delivery_strategy: "http", http: { request_config: { url: "https://mail.example/send" } } }),
      "email",
    );
    // httpRequestConfig's defaults: POST and Kratos' default body template.
    expect(http).toMatchObject({ type: "http", requestConfig: { url: "https://mail.example/send", method: "POST" } });
    expect(http.type === "http" && http.requestConfig.body.startsWith("base64://ZnVuY3Rpb24oY3R4KSB7")).toBe(true);
  });

  it("fails a message whose channel is not configured, or configured without a type Kratos knows", () => {
    expect(() => findChannel(configWith({}), "sms")).toThrow(/^no courier channels configured for: sms$/);
    const untyped = configWith({ channels: [{ id: "sms", request_config: { url: "https://sms.example/send" } }] });
    expect(() => findChannel(untyped, "sms")).toThrow(/^unknown courier channel type: $/);
  });

  it("refuses a request_config URL or body without a scheme Kratos' config schema allows", () => {
    expect(() => configWith({ http: { request_config: { url: "mail.example/send" } } })).toThrow(/courier\.http\.request_config\.url/);
    expect(() => configWith({ http: { request_config: { body: "ftp://x/body.jsonnet" } } })).toThrow(/courier\.http\.request_config\.body/);
  });
});
