import { describe, expect, it } from "vitest";
import { UiContainer } from "./container";
import { inputNode } from "./node";

describe("UiContainer.upsert (ui/node/node.go Nodes.Upsert)", () => {
  it("replaces the node of the same name whatever its group, in its place", () => {
    const ui = new UiContainer("http://localhost/action");
    ui.nodes = [inputNode("default", "identifier", "text"), inputNode("password", "password", "password")];
    ui.upsert(inputNode("webauthn", "identifier", "hidden", { value: "a@example.com" }));
    expect(
      ui.nodes.map((n) => [n.group, n.type === "input" ? n.attributes.name : "", n.type === "input" ? n.attributes.type : ""]),
    ).toEqual([
      ["webauthn", "identifier", "hidden"],
      ["password", "password", "password"],
    ]);
  });

  it("appends a node no other node's name matches", () => {
    const ui = new UiContainer("http://localhost/action");
    ui.nodes = [inputNode("default", "identifier", "text")];
    ui.upsert(inputNode("default", "password", "password"));
    expect(ui.nodes.map((n) => (n.type === "input" ? n.attributes.name : ""))).toEqual(["identifier", "password"]);
  });
});

describe("UiContainer.setCsrf (ui/container/container.go SetCSRF: SetNode, i.e. Nodes.Upsert)", () => {
  const names = (ui: UiContainer) =>
    ui.nodes.map((n) =>
      n.type === "input" ? `${n.attributes.name}=${typeof n.attributes.value === "string" ? n.attributes.value : ""}` : "",
    );

  it("appends the CSRF node to a form without one", () => {
    // code.Strategy.handleLinkClick on an API verification flow (the code strategy gave it no CSRF node).
    const ui = new UiContainer("http://localhost/action");
    ui.nodes = [inputNode("code", "code", "text"), inputNode("code", "method", "hidden", { value: "code" })];
    ui.setCsrf("token");
    expect(names(ui)).toEqual(["code=", "method=code", "csrf_token=token"]);
  });

  it("replaces the CSRF node where it stands", () => {
    const ui = new UiContainer("http://localhost/action");
    ui.nodes = [inputNode("code", "email", "email")];
    ui.setCsrf("old");
    ui.nodes.push(inputNode("code", "method", "submit", { value: "code" }));
    ui.setCsrf("new");
    expect(names(ui)).toEqual(["email=", "csrf_token=new", "method=code"]);
  });
});
