import { describe, expect, it } from "vitest";
import { pageHref } from "./page-href";

describe("pager links of a filtered list", () => {
  it("keep the filters that are set, in order, then the cursor, encoded", () => {
    expect(pageHref("/audit", { action: "identity.delete", actor: undefined, target: "a b&c", outcome: "failure", before: "42" })).toBe(
      "/audit?action=identity.delete&target=a+b%26c&outcome=failure&before=42",
    );
    expect(pageHref("/courier", { status: undefined, recipient: "ada@example.com", cursor: "tok/en=" })).toBe(
      "/courier?recipient=ada%40example.com&cursor=tok%2Fen%3D",
    );
  });

  it("leave out empty values, and the query altogether when nothing is set", () => {
    expect(pageHref("/courier", { status: "", recipient: undefined })).toBe("/courier");
    expect(pageHref("/identities", { size: 25 })).toBe("/identities?size=25");
  });
});
