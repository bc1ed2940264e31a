import { describe, expect, it } from "vitest";
import { UiContainer } from "./container";
import { messages } from "./messages";
import { inputNode, nodeName, textNode, type UiNode } from "./node";
import { sortNodes } from "./sort";

/**
 * ui/node/node.go Nodes.SortBySchema: nodes the keys place at the same
 * position — all nodes no key names, and the `method` submit buttons of a
 * group — are ordered by `fmt.Sprintf("%v", GetValue())`, compared as Go
 * compares strings (bytes of the UTF-8 text).
 */
describe("sortNodes: the value tie-break of SortBySchema", () => {
  const sorted = (nodes: UiNode[], keys: string[] = ["csrf_token"]) => {
    const ui = new UiContainer("http://localhost/action");
    ui.nodes = nodes;
    sortNodes(ui, { groups: ["oidc", "default", "password"], keys, interleavedWithDefault: ["password"] });
    return ui.nodes;
  };
  const values = (nodes: UiNode[]) => nodes.map((n) => (n.type === "input" ? n.attributes.value : nodeName(n)));

  it("orders social sign-in buttons (all `provider`, no key) by provider id, not by configuration order", () => {
    const buttons = ["google", "github", "apple", "Microsoft"].map((id) => inputNode("oidc", "provider", "submit", { value: id }));
    expect(values(sorted(buttons))).toEqual(["Microsoft", "apple", "github", "google"]);
  });

  it("orders the method buttons of one group by their values, still last in the group", () => {
    const nodes = [
      inputNode("password", "method", "submit", { value: "password" }),
      inputNode("password", "method", "submit", { value: "identifier_first" }),
      inputNode("password", "password", "password"),
    ];
    expect(values(sorted(nodes, ["csrf_token", "password"]))).toEqual([undefined, "identifier_first", "password"]);
  });

  it("prints values as %v does: nil `<nil>`, float64 in 'g' form, slices and maps with sorted keys", () => {
    const node = (value: unknown) => inputNode("default", "x", "text", { value });
    const order = sorted([
      node(9),
      node(10),
      node(1e6),
      node("1d"),
      node(undefined),
      node(true),
      node({ b: 1, a: "z" }),
      node(["b", "a"]),
      node("&"),
    ]);
    // "&" < "10" < "1d" < "1e+06" < "9" < "<nil>" < "[b a]" < "map[a:z b:1]" < "true" (1e6 printed "1000000" would come before "1d")
    expect(values(order)).toEqual(["&", 10, "1d", 1e6, 9, undefined, ["b", "a"], { b: 1, a: "z" }, true]);
  });

  it("a text node's value is its message's text (*text.Message's Error), compared by UTF-8 bytes", () => {
    const nodes = [
      textNode("default", "second", messages.labelGenerated("\u{1F600}", "x")),
      textNode("default", "first", messages.labelGenerated("\uFF21", "x")),
    ];
    // UTF-16 puts the emoji's surrogate (0xD83D) before U+FF21; UTF-8 puts EF BC A1 before F0 9F 98 80.
    expect(sorted(nodes).map(nodeName)).toEqual(["first", "second"]);
  });

  it("keys still come first: the tie-break only orders nodes at the same position", () => {
    const nodes = [inputNode("default", "zeta", "text", { value: "a" }), inputNode("default", "csrf_token", "hidden", { value: "z" })];
    expect(sorted(nodes).map(nodeName)).toEqual(["csrf_token", "zeta"]);
  });

  // Expected orders printed by Go 1.19's sort.Slice and sort.SliceStable running SortBySchema's comparisons.
  it("nodes of equal key and value land where Go's sort.Slice by group (pdqsort above 12 nodes) leaves them", () => {
    const fields = Array.from({ length: 13 }, (_, i) => inputNode("default", `n${String(i).padStart(2, "0")}`, "text"));
    const nodes = [...fields, inputNode("oidc", "provider", "submit")];
    expect(sorted(nodes).map(nodeName)).toEqual([
      "provider",
      ...["n06", "n02", "n03", "n04", "n05", "n00", "n07", "n08", "n09", "n10", "n11", "n12", "n01"],
    ]);
  });

  it("runs sort.SliceStable's merges: a password node placed before the default nodes may not pass a group between them", () => {
    const pad = (i: number) => String(i).padStart(2, "0");
    const nodes = [
      ...Array.from({ length: 12 }, (_, i) => inputNode("default", "d", "text", { value: `d${pad(i)}` })),
      ...Array.from({ length: 6 }, (_, i) => inputNode("webauthn", "w", "text", { value: `w${pad(i)}` })),
      ...Array.from({ length: 6 }, (_, i) => inputNode("password", "password", "password", { value: `p${pad(i)}` })),
    ];
    const ui = new UiContainer("http://localhost/action");
    ui.nodes = nodes;
    sortNodes(ui, { groups: ["default", "webauthn", "password"], keys: ["csrf_token", "password"], interleavedWithDefault: ["password"] });
    expect(values(ui.nodes)).toEqual([
      ...["p02", "p03", "p04", "p05"],
      ...Array.from({ length: 12 }, (_, i) => `d${pad(i)}`),
      ...Array.from({ length: 6 }, (_, i) => `w${pad(i)}`),
      ...["p00", "p01"],
    ]);
  });
});
