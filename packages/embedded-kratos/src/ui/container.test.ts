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
