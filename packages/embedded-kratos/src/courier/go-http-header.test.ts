import { describe, expect, it } from "vitest";
import { compileTemplate } from "./gotemplate";
import { goTemplateModel } from "./template-model";

/**
 * courier/template/email/recovery_code_valid.go's model carries
 * `UserRequestHeaders http.Header`; templates call its methods as text/template
 * does (exec.go evalField: a method of the value's type before a map key).
 * Each expected text is what Go 1.19 printed for the same template on a
 * struct with an http.Header field holding these headers.
 */
const HEADERS = { "User-Agent": ["agent/1", "agent/2"], "Accept-Language": ["de"] };

const render = (text: string, headers?: Record<string, string[]>) => {
  const model = goTemplateModel("email", "recovery_code_valid", { To: "ann@example.com", RecoveryCode: "1" }, headers);
  try {
    return compileTemplate(text, "t").render(model);
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
};

describe("UserRequestHeaders: an http.Header with its Get and Values methods (net/http Header, net/textproto MIMEHeader)", () => {
  it.each([
    ['{{ .UserRequestHeaders.Get "user-agent" }}', "agent/1", ""],
    ['{{ .UserRequestHeaders.Get "X-Missing" }}|', "|", "|"],
    ['{{ .UserRequestHeaders.Values "USER-AGENT" }}', "[agent/1 agent/2]", "[]"],
    ['{{ .UserRequestHeaders.Values "X-Missing" }}', "[]", "[]"],
    ['{{ index .UserRequestHeaders "Accept-Language" }}', "[de]", "[]"],
    ["{{ .UserRequestHeaders }}", "map[Accept-Language:[de] User-Agent:[agent/1 agent/2]]", "map[]"],
    ['{{ "accept-language" | .UserRequestHeaders.Get }}', "de", ""],
    ["{{ range $k, $v := .UserRequestHeaders }}{{ $k }}={{ $v }};{{ end }}", "Accept-Language=[de];User-Agent=[agent/1 agent/2];", ""],
    ["{{ len .UserRequestHeaders }}", "2", "0"],
    ["{{ .UserRequestHeaders.X }}", "<no value>", "<no value>"],
  ])("%s", (text, withHeaders, withoutHeaders) => {
    expect(render(text, HEADERS)).toBe(withHeaders);
    // The HTML body is rendered at dispatch, when the stored message has lost the `json:"-"` field: a nil http.Header.
    expect(render(text)).toBe(withoutHeaders);
  });

  it("calls a method with Go's argument checks", () => {
    expect(render("{{ .UserRequestHeaders.Get }}", HEADERS)).toBe(
      'error: template: t:1:22: executing "t" at <.UserRequestHeaders.Get>: wrong number of args for Get: want 1 got 0',
    );
    expect(render('{{ .UserRequestHeaders.Get "a" "b" }}', HEADERS)).toBe(
      'error: template: t:1:22: executing "t" at <.UserRequestHeaders.Get>: wrong number of args for Get: want 1 got 2',
    );
    // Not a map[string]interface{}: sprig's dict functions refuse it, as Go's validateType does.
    expect(render('{{ hasKey .UserRequestHeaders "User-Agent" }}', HEADERS)).toBe(
      'error: template: t:1:10: executing "t" at <.UserRequestHeaders>: wrong type for value; expected map[string]interface {}; got http.Header',
    );
  });
});
