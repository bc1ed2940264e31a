import { describe, expect, it } from "vitest";
import type { KratosError } from "../http/errors";
import { decodingPaths, formPaths } from "./schema-registry";

/**
 * Which uses a schema whose paths cannot be listed fails: ListPaths (forms:
 * ui/container NodesFromJSONSchema; the identifier label:
 * login.GetIdentifierLabelFromSchema) fails on a circular schema, while
 * decoderx's ListPathsWithRecursion (decodeForm, decodeJSONForm) follows
 * it; this server's expansion cap stops both.
 */
describe("formPaths and decodingPaths of a schema whose paths fail", () => {
  const paths = [{ name: "traits.email", segments: ["email"], type: "string", required: false, extension: {} }];

  it("a circular schema fails the form with ListPaths' text (a plain 500) and still decodes", () => {
    const schema = { paths, pathsFailure: { kind: "circular", path: "traits.friend.friend" } } as const;
    expect(() => formPaths(schema)).toThrow(
      expect.objectContaining({ code: 500, message: "detected circular dependency in schema path: traits.friend.friend" }),
    );
    expect(decodingPaths(schema)).toBe(paths);
  });

  it("the expansion cap fails both, the decoding with decoderx's reason", () => {
    const schema = { paths, pathsFailure: { kind: "expansion" } } as const;
    expect(() => formPaths(schema)).toThrow(expect.objectContaining({ code: 500 }));
    const thrown = (() => {
      try {
        decodingPaths(schema);
      } catch (error) {
        return error as KratosError;
      }
      return undefined;
    })();
    expect(thrown?.code).toBe(500);
    expect(thrown?.reason).toMatch(/^Unable to prepare JSON Schema for HTTP Post Body Form parsing: the identity schema expands/);
  });
});
