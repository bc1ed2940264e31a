import { afterEach, describe, expect, it, vi } from "vitest";
import { GO_MULTIPART_MAX_PARTS, goMultipartFormValues } from "./multipart";

const BOUNDARY = "xYzZy";
const CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

function multipart(parts: string[]): Buffer {
  return Buffer.from(`${parts.map((part) => `--${BOUNDARY}\r\n${part}\r\n`).join("")}--${BOUNDARY}--\r\n`, "utf8");
}
const field = (name: string, value: string) => `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`;

/** What Request.ParseMultipartForm leaves in r.MultipartForm.Value (mime/multipart formdata.go readForm). */
describe("goMultipartFormValues (mime/multipart Reader.ReadForm)", () => {
  it("keeps each field's values in order, as byte strings, and leaves files out", async () => {
    const body = multipart([
      field("csrf_token", "first"),
      `Content-Disposition: form-data; name="upload"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile body`,
      field("csrf_token", "second"),
      field("name", "é"),
    ]);
    const values = await goMultipartFormValues(body, CONTENT_TYPE);
    expect(values && [...values]).toEqual([
      ["csrf_token", ["first", "second"]],
      ["name", ["\xc3\xa9"]],
    ]);
  });

  it("is undefined for a body that does not parse and past the part cap (ErrMessageTooLarge), as ReadForm then keeps nothing", async () => {
    expect(await goMultipartFormValues(Buffer.from("not multipart"), CONTENT_TYPE)).toBeUndefined();
    const within = multipart(Array.from({ length: GO_MULTIPART_MAX_PARTS }, (_, i) => field(`f${i}`, "v")));
    expect((await goMultipartFormValues(within, CONTENT_TYPE))?.size).toBe(GO_MULTIPART_MAX_PARTS);
    const past = multipart(Array.from({ length: GO_MULTIPART_MAX_PARTS + 1 }, (_, i) => field(`f${i}`, "v")));
    expect(await goMultipartFormValues(past, CONTENT_TYPE)).toBeUndefined();
  });

  describe("a body of more parts than the cap", () => {
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    it("is refused from a count of its boundary, without reaching the runtime's parser", async () => {
      let parsed = 0;
      vi.stubGlobal(
        "Response",
        new Proxy(Response, {
          construct(target, args: ConstructorParameters<typeof Response>) {
            parsed++;
            return Reflect.construct(target, args);
          },
        }),
      );
      // 79k tiny parts in under 5 MiB: what the runtime's parser would take seconds and hundreds of MB to split.
      const tiny = multipart(Array.from({ length: 79_000 }, () => field("a", "")));
      expect(tiny.length).toBeLessThan(5 * 1024 * 1024);
      expect(await goMultipartFormValues(tiny, CONTENT_TYPE)).toBeUndefined();
      expect(parsed).toBe(0);
      // Within the cap the parser is still what splits the parts.
      const within = multipart(Array.from({ length: GO_MULTIPART_MAX_PARTS }, (_, i) => field(`f${i}`, "v")));
      expect((await goMultipartFormValues(within, CONTENT_TYPE))?.size).toBe(GO_MULTIPART_MAX_PARTS);
      expect(parsed).toBe(1);
    });
  });
});
