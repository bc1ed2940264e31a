/**
 * Writes the phone-number metadata Kratos validates `tel` traits with.
 *
 * Kratos v26.2 links nyaruka/phonenumbers v1.6.5, built from libphonenumber
 * v9.0.11's PhoneNumberMetadata.xml; no google-libphonenumber release bundles
 * that version. libphonenumber's repository carries the same metadata for its
 * JavaScript library (javascript/i18n/phonenumbers/metadata.js, generated,
 * Apache-2.0), in the format google-libphonenumber reads. This script turns
 * that generated file into JSON:
 *
 *   git -C <libphonenumber clone> show v9.0.11:javascript/i18n/phonenumbers/metadata.js > metadata.js
 *   npx tsx scripts/phone-metadata.ts metadata.js src/identity/jsonschema/phone-metadata/libphonenumber-v9.0.11.json
 *
 * The generated file only assigns two object literals, so it is evaluated in
 * an empty context with the one Closure call it makes stubbed.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { runInNewContext } from "node:vm";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: tsx scripts/phone-metadata.ts <metadata.js> <output.json>");
  process.exit(2);
}
const metadata: Record<string, unknown> = {};
runInNewContext(readFileSync(input, "utf8"), { goog: { provide: () => undefined }, i18n: { phonenumbers: { metadata } } });
const { countryCodeToRegionCodeMap, countryToMetadata } = metadata;
if (typeof countryCodeToRegionCodeMap !== "object" || typeof countryToMetadata !== "object") {
  console.error(`${input}: not libphonenumber's generated metadata.js (countryCodeToRegionCodeMap/countryToMetadata missing)`);
  process.exit(1);
}
writeFileSync(output, `${JSON.stringify({ countryCodeToRegionCodeMap, countryToMetadata })}\n`);
