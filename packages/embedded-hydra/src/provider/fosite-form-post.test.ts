import { describe, expect, it } from "vitest";
import { renderFositeFormPost } from "./fosite-form-post";

/**
 * fosite's DefaultFormPostTemplate (fosite/authorize_helper.go) rendered by
 * Go's html/template: the expected pages below are what Go printed for the
 * same inputs (html/template url.go urlFilter + urlNormalizer, html.go
 * attrEscaper).
 */
const page = (action: string, inputs: [string, string][]) =>
  `<html>\n   <head>\n      <title>Submit This Form</title>\n   </head>\n   <body onload="javascript:document.forms[0].submit()">\n      <form method="post" action="${action}">\n         ` +
  inputs
    .map(([name, value]) => `\n            \n\t\t      <input type="hidden" name="${name}" value="${value}"/>\n            \n         `)
    .join("") +
  `\n      </form>\n   </body>\n</html>`;

describe("fosite's form_post page", () => {
  const parameters = new URLSearchParams([
    ["state", "s&<>\"'+\0é "],
    ["error", "invalid_request"],
    ["error_description", "The request is 'bad' & <odd>."],
  ]);
  const inputs: [string, string][] = [
    ["error", "invalid_request"],
    ["error_description", "The request is &#39;bad&#39; &amp; &lt;odd&gt;."],
    ["state", "s&amp;&lt;&gt;&#34;&#39;&#43;\uFFFDé "],
  ];

  it("normalises and escapes an http(s) action, sorts and escapes the parameters", () => {
    expect(renderFositeFormPost("https://app.example/cb?a=1&b=<x>\"'+ é", parameters)).toBe(
      page("https://app.example/cb?a=1&amp;b=%3cx%3e%22%27&#43;%20%c3%a9", inputs),
    );
  });

  it("replaces an action of another scheme (a native app's redirect URI too) by #ZgotmplZ", () => {
    for (const action of ["javascript:alert(1)", "custom-app:/cb"])
      expect(renderFositeFormPost(action, parameters)).toBe(page("#ZgotmplZ", inputs));
  });
});
