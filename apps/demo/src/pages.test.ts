import { describe, expect, it } from "vitest";
import { errorPage, escapeHtml, homePage } from "./pages";

describe("pages", () => {
  it("escapes everything that could open markup or leave an attribute", () => {
    expect(escapeHtml(`<script>alert("x")</script>&'`)).toBe("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;");
  });

  it("offers sign-up and sign-in to a visitor", () => {
    const html = homePage(undefined);
    expect(html).toContain('href="/signup"');
    expect(html).toContain('href="/signin"');
    expect(html).not.toContain("/signout");
  });

  it("shows a signed-in customer's email and claims escaped, with a sign-out form (POST)", () => {
    const html = homePage({ email: "<b>eve</b>@example.com", claims: { sub: "id-1", name: "</pre><script>x()</script>" } });
    expect(html).toContain("&lt;b&gt;eve&lt;/b&gt;@example.com");
    expect(html).not.toContain("<script>x()");
    expect(html).toContain("&lt;/pre&gt;&lt;script&gt;");
    expect(html).toMatch(/<form method="post" action="\/signout"/);
  });

  it("escapes error texts too", () => {
    expect(errorPage("<t>", "<m>")).not.toMatch(/<t>|<m>/);
  });
});
