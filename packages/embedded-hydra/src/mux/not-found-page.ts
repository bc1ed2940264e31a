import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * oryx/serverx DefaultNotFoundHandler (404.go): the page Hydra registers
 * for any method at `/` on the public router (so every request no route
 * takes) and at the exact `/admin` on the admin router. The body follows
 * the request's Accept (herodot httputil NegotiateContentType over
 * text/html, text/plain, application/json; HTML when nothing fits).
 */

/** serverx/404.html, byte for byte. */
const PAGE_HTML = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <title>404 - Route not found</title>
    <style>
      * {
        transition: all 0.6s;
      }
      html {
        height: 100%;
      }
      body {
        font-family: sans-serif;
        color: #888;
        margin: 0;
      }
      #main {
        display: table;
        width: 100%;
        height: 100vh;
        text-align: center;
      }
      .fof {
        display: table-cell;
        vertical-align: middle;
      }
      .fof h1 {
        font-size: 50px;
        display: inline-block;
        padding-right: 12px;
        margin-bottom: 12px;
        animation: type 0.5s alternate infinite;
      }
      @keyframes type {
        from {
          box-shadow: inset -3px 0 0 #888;
        }
        to {
          box-shadow: inset -3px 0 0 transparent;
        }
      }
    </style>
  </head>
  <body translate="no">
    <div id="main">
      <div class="fof">
        <h1>Error 404</h1>
        <p>
          The requested route does not exist. Make sure you are using the right
          path, domain, and port.
        </p>
      </div>
    </div>
  </body>
</html>
`;

/** serverx/404.json, byte for byte. */
const PAGE_JSON = `{
  "error": {
    "code": 404,
    "message": "Not Found",
    "reason": "The requested route does not exist. Make sure you are using the right path, domain, and port."
  }
}
`;

const PAGE_TEXT = "Error 404 - The requested route does not exist. Make sure you are using the right path, domain, and port.";

const OFFERS = ["text/html", "text/plain", "application/json"] as const;
type Offer = (typeof OFFERS)[number];

/** RFC 2616 token characters (herodot httputil/header octetTypes), plus `/` for media ranges. */
const TOKEN_OR_SLASH = /^[!#$%&'*+\-.^_`|~0-9A-Za-z/]*/;
const SPACE = /^[ \t\r\n]*/;

/** header.expectQuality: `0` or `1`, optionally a fraction; anything else is -1 (the element is dropped). */
function expectQuality(s: string): [number, string] {
  const first = s[0];
  if (first !== "0" && first !== "1") return [-1, ""];
  let rest = s.slice(1);
  const whole = first === "1" ? 1 : 0;
  if (!rest.startsWith(".")) return [whole, rest];
  rest = rest.slice(1);
  const digits = /^[0-9]*/.exec(rest)?.[0] ?? "";
  const fraction = digits === "" ? 0 : Number(digits) / 10 ** digits.length;
  return [whole + fraction, rest.slice(digits.length)];
}

/** header.ParseAccept: each Accept line read until its first element that does not parse. */
export function parseAccept(lines: readonly string[]): { value: string; q: number }[] {
  const specs: { value: string; q: number }[] = [];
  for (const line of lines) {
    let s = line;
    for (;;) {
      const value = TOKEN_OR_SLASH.exec(s)?.[0] ?? "";
      if (value === "") break;
      s = s.slice(value.length).replace(SPACE, "");
      let q = 1;
      if (s.startsWith(";")) {
        s = s.slice(1).replace(SPACE, "");
        if (!s.startsWith("q=")) break;
        [q, s] = expectQuality(s.slice(2));
        if (q < 0) break;
      }
      specs.push({ value, q });
      s = s.replace(SPACE, "");
      if (!s.startsWith(",")) break;
      s = s.slice(1).replace(SPACE, "");
    }
  }
  return specs;
}

/** httputil.NegotiateContentType: highest q, then the most specific range, then the earlier offer. */
export function negotiate(acceptLines: readonly string[]): Offer {
  let best: Offer = "text/html";
  let bestQ = -1;
  let bestWild = 3;
  const specs = parseAccept(acceptLines);
  for (const offer of OFFERS) {
    for (const spec of specs) {
      if (spec.q === 0 || spec.q < bestQ) continue;
      if (spec.value === "*/*") {
        if (spec.q > bestQ || bestWild > 2) [bestQ, bestWild, best] = [spec.q, 2, offer];
      } else if (spec.value.endsWith("/*")) {
        if (offer.startsWith(spec.value.slice(0, -1)) && (spec.q > bestQ || bestWild > 1)) [bestQ, bestWild, best] = [spec.q, 1, offer];
      } else if (spec.value === offer && (spec.q > bestQ || bestWild > 0)) {
        [bestQ, bestWild, best] = [spec.q, 0, offer];
      }
    }
  }
  return best;
}

const BODIES: Record<Offer, string> = { "text/html": PAGE_HTML, "text/plain": PAGE_TEXT, "application/json": PAGE_JSON };

/** DefaultNotFoundHandler's answer: 404, `<type>; charset=utf-8`, the negotiated body (no nosniff: it is not http.Error). */
export function notFoundPage(req: IncomingMessage, res: ServerResponse): void {
  const type = negotiate(req.headersDistinct.accept ?? []);
  const body = BODIES[type];
  res.writeHead(404, { "Content-Type": `${type}; charset=utf-8`, "Content-Length": Buffer.byteLength(body) }).end(body);
}
