import type { UiNode, UiNodeInputAttributesTypeEnum, VerificationFlow } from "@ory/client";
import { describe, expect, it } from "vitest";
import { mailedLinkView } from "./verification-link";

const input = (name: string, type: UiNodeInputAttributesTypeEnum, value = ""): UiNode => ({
  type: "input",
  group: name === "csrf_token" ? "default" : "code",
  attributes: { node_type: "input", name, type, value, disabled: false },
  messages: [],
  meta: {},
});

const flow = (state: string, nodes: UiNode[], messages: { id: number; type: "error" | "info" }[] = []): VerificationFlow =>
  ({
    id: "f",
    type: "browser",
    state,
    ui: {
      action: "http://ciam.localhost:3000/.ory/kratos/self-service/verification?flow=f",
      method: "POST",
      nodes,
      messages: messages.map((m) => ({ ...m, text: "" })),
    },
  }) as VerificationFlow;

// What Kratos' code.Strategy.handleLinkClick leaves (strategy_verification.go): sent_email, the code pre-filled.
const sent = (code: string) => [
  input("csrf_token", "hidden", "tok"),
  input("code", "text", code),
  input("method", "hidden", "code"),
  input("method", "submit", "code"),
  input("email", "submit", "a@example.com"),
];

describe("mailedLinkView", () => {
  it("submits a code Kratos pre-filled from the mail's link, keeping the address", () => {
    expect(mailedLinkView(flow("sent_email", sent("123456")))).toEqual({
      kind: "confirm",
      form: { action: expect.stringContaining("flow=f"), csrfToken: "tok", code: "123456", address: "a@example.com" },
    });
  });

  it("leaves a typed code, a failed one (no resubmission loop) and a verified flow to the regular page", () => {
    expect(mailedLinkView(flow("sent_email", sent(""))).kind).toBe("none");
    expect(mailedLinkView(flow("sent_email", sent("123456"), [{ id: 4070006, type: "error" }])).kind).toBe("none");
    expect(mailedLinkView(flow("passed_challenge", [], [{ id: 1080002, type: "info" }])).kind).toBe("none");
  });

  it("offers a new mail on the flow Kratos made for an expired link (4070005)", () => {
    const view = mailedLinkView(
      flow(
        "choose_method",
        [input("csrf_token", "hidden", "tok"), input("email", "email"), input("method", "submit", "code")],
        [{ id: 4070005, type: "error" }],
      ),
    );
    expect(view).toEqual({ kind: "expired", form: { action: expect.stringContaining("flow=f"), csrfToken: "tok", method: "code" } });
  });
});
