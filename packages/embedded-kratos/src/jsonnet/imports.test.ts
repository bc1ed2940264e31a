import { describe, expect, it } from "vitest";
import { evaluateJsonnet, JsonnetError } from "./index";

/**
 * Kratos never evaluates Jsonnet with a file importer: ory/x jsonnetsecure's MakeSecureVM installs `ErrorImporter`,
 * whose Import answers `import not available <path>` for every path, and go-jsonnet (imports.go importCode /
 * importString / importBinary) reports that as a runtime error of the import expression, when it is evaluated.
 */
const failure = (source: string): JsonnetError => {
  try {
    evaluateJsonnet(source, { extVars: {}, filename: "mapper.jsonnet" });
  } catch (error) {
    if (error instanceof JsonnetError) return error;
    throw error;
  }
  throw new Error("expected a JsonnetError");
};

describe("Jsonnet imports (ory/x jsonnetsecure ErrorImporter.Import)", () => {
  it("fails import, importstr and importbin with the importer's message at the import", () => {
    for (const keyword of ["import", "importstr", "importbin"]) {
      const error = failure(`\n${keyword} "lib/helpers.libsonnet"`);
      expect(error.kind).toBe("runtime");
      // The stack trace go-jsonnet's error formatter adds: the import's extent at the top level, then the VM's frame.
      const end = keyword.length + 25;
      expect(error.message).toBe(
        `RUNTIME ERROR: import not available lib/helpers.libsonnet\n\tmapper.jsonnet:2:1-${end}\t$\n\tDuring evaluation\t\n`,
      );
    }
  });

  it("only fails when the import is evaluated, as go-jsonnet's lazy evaluation does", () => {
    expect(evaluateJsonnet('local lib = import "unused.libsonnet"; { a: 1 }', { extVars: {} })).toEqual({ a: 1 });
    expect(evaluateJsonnet('{ hidden:: importstr "x.txt", b: 2 }', { extVars: {} })).toEqual({ b: 2 });
  });

  it("refuses computed paths and text blocks statically (go-jsonnet parser.go, tokenImport)", () => {
    const computed = failure('import "a" + ".libsonnet"');
    expect(computed.kind).toBe("static");
    expect(computed.reason).toBe("Computed imports are not allowed");
    const block = failure("importstr |||\n  a.txt\n|||");
    expect(block.reason).toBe("Block string literals not allowed in imports");
  });
});
