import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { goTemplateModel } from "../template-model";
import { compileTemplate } from "./index";

interface GoldenCase {
  text: string;
  html?: boolean;
  data?: { to?: string; recovery_code?: string; identity?: Record<string, unknown>; request_url?: string; expires_in_minutes?: number };
  go: { out?: string; error?: string };
}

/**
 * Outputs and error texts printed by Go 1.19's text/template and
 * html/template for each case (a small Go program executing `text` on a
 * *email.RecoveryCodeValidModel with Kratos' fields, decoded from `data`).
 */
const golden = JSON.parse(readFileSync(path.join(__dirname, "go-template.golden.json"), "utf8")) as { cases: GoldenCase[] };

function run(c: GoldenCase): { out?: string; error?: string } {
  const d = c.data;
  const model =
    d &&
    goTemplateModel("email", "recovery_code_valid", {
      To: d.to ?? "",
      RecoveryCode: d.recovery_code ?? "",
      ...(d.identity ? { Identity: d.identity } : {}),
      RequestURL: d.request_url ?? "",
      ExpiresInMinutes: d.expires_in_minutes ?? 0,
    });
  try {
    return { out: compileTemplate(c.text, "t", { html: c.html === true }).render(model ?? null) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe("Go text/template and html/template (courier/template/load_template.go parses courier templates with them)", () => {
  it.each(golden.cases.map((c, i) => [i, c] as const))("case %i renders or fails as Go does", (_, c) => {
    expect(run(c)).toEqual(c.go);
  });
});
