import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileTemplate } from "./index";

interface GoldenCase {
  text: string;
  go: { out?: string; error?: string };
}

/**
 * sprig v3.3.0's b32enc, b32dec (strings.go base32encode/base32decode over
 * encoding/base32's StdEncoding), pluck, dig (dict.go) and chunk, mustChunk
 * (list.go): outputs and error texts Go 1.19 printed for each template with
 * those functions (copied from sprig) in the FuncMap, including the
 * runtime's panics (a failed type assertion, makeslice with a bad length).
 */
const golden = JSON.parse(readFileSync(path.join(__dirname, "sprig-ported.golden.json"), "utf8")) as { cases: GoldenCase[] };

function run(text: string): { out?: string; error?: string } {
  try {
    return { out: compileTemplate(text, "t").render(null) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe("sprig's b32enc, b32dec, pluck, dig, chunk and mustChunk", () => {
  it.each(golden.cases.map((c) => [c.text, c] as const))("%s", (_, c) => {
    expect(run(c.text)).toEqual(c.go);
  });
});
