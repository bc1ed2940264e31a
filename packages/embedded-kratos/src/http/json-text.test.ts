import { describe, expect, it } from "vitest";
import { compactJson, copyKeepingJsonTexts, JsonText, stringifyJson, withJsonText } from "./json-text";

/**
 * encoding/json (encode.go marshalerEncoder, Compact): a json.RawMessage
 * field is written as its bytes with the whitespace outside strings
 * dropped — Kratos' identity traits and metadata (identity/identity.go).
 */
describe("JSON texts kept for json.RawMessage fields", () => {
  it("compacts as encoding/json Compact does, strings untouched", () => {
    expect(compactJson(`{"a": [1.0, 1e2 ],\n "b":"x \\" y, z",\t"a": null}`)).toBe(`{"a":[1.0,1e2],"b":"x \\" y, z","a":null}`);
  });

  it("writes a JsonText as its text in answers and as its value anywhere else", () => {
    const body = { traits: new JsonText(`{"n":2.50,"n":1e2}`, { n: 100 }), list: [new JsonText("1.0", 1)], s: "\u0000x" };
    expect(stringifyJson(body)).toBe(`{"traits":{"n":2.50,"n":1e2},"list":[1.0],"s":"\\u0000x"}`);
    expect(JSON.stringify(body)).toBe(`{"traits":{"n":100},"list":[1],"s":"\\u0000x"}`);
    expect(stringifyJson({ plain: [1, "a"] })).toBe(`{"plain":[1,"a"]}`);
  });

  it("applies a text only while the field holds the value it was recorded for", () => {
    const traits = { a: 1 };
    const kept = new JsonText(`{"a":1.0}`, traits);
    expect(withJsonText(traits, kept)).toBe(kept);
    expect(withJsonText({ a: 1 }, kept)).toEqual({ a: 1 });
  });

  it("copies a UI deeply but keeps a stored context's JsonText, which answers as jsonb's text", () => {
    // stored-ui-texts.ts keepStoredContextTexts: a context read back from the `ui` jsonb column.
    const context = new JsonText(`{"b":1,"10":2.50}`, { b: 1, "10": 2.5 });
    const ui = { nodes: [{ attributes: { name: "code" }, messages: [{ id: 4000001, text: "x", type: "error", context }] }] };
    const copy = copyKeepingJsonTexts(ui);
    expect(copy).not.toBe(ui);
    expect(copy.nodes[0]).not.toBe(ui.nodes[0]);
    expect(copy.nodes[0]?.messages[0]).not.toBe(ui.nodes[0]?.messages[0]);
    expect(copy.nodes[0]?.messages[0]?.context).toBe(context);
    expect(stringifyJson(copy)).toBe(stringifyJson(ui));
    expect(stringifyJson(copy)).toContain(`"context":{"b":1,"10":2.50}`);
    // The copy is deep: changing it leaves the original as it was.
    copy.nodes[0]?.messages.splice(0);
    expect(ui.nodes[0]?.messages).toHaveLength(1);
  });
});
