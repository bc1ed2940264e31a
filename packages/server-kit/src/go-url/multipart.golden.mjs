// Writes multipart.golden.json: Go's Reader.ReadForm answer for every case of
// multipart.golden-cases.ts. Run from this folder with Node 24 (it strips the
// cases' types) and a Go toolchain: `node multipart.golden.mjs`.
// Values longer than 64 bytes are kept as their length and SHA-256. Then
// `npx prettier --write multipart.golden.json`. The answers in it are go1.19.8's
// (the toolchain at hand), which has Go 1.26's part and header caps; where
// Go 1.20+ reads part headers differently, multipart.test.ts says so.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { MULTIPART_GOLDEN_CASES } from "./multipart.golden-cases.ts";

const input = MULTIPART_GOLDEN_CASES.map(([name, boundary, body, maxMemory]) => ({
  name,
  boundary,
  body: Buffer.from(body, "latin1").toString("base64"),
  maxMemory: maxMemory ?? 0,
}));
const goVersion = execFileSync("go", ["env", "GOVERSION"]).toString().trim();
const answers = JSON.parse(
  execFileSync("go", ["run", "multipart.golden.go"], { input: JSON.stringify(input), maxBuffer: 1 << 30 }).toString(),
);
const text = (base64) => Buffer.from(base64, "base64").toString("latin1");
const value = (base64) => {
  const bytes = Buffer.from(base64, "base64");
  return bytes.length <= 64 ? bytes.toString("latin1") : { length: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
};
const golden = {
  go: goVersion,
  cases: answers.map(({ name, error, values, files }) =>
    error === undefined ? { name, values: (values ?? []).map(([k, v]) => [text(k), value(v)]), files } : { name, error },
  ),
};
writeFileSync("multipart.golden.json", `${JSON.stringify(golden, null, 1)}\n`);
