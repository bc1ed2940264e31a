import { readFileSync } from "node:fs";
import libphonenumber from "google-libphonenumber";
import { z } from "zod";

/**
 * The PhoneNumberUtil `tel` traits are judged with, on the metadata Kratos
 * v26.2 judges them with.
 *
 * Kratos links nyaruka/phonenumbers v1.6.5, whose data is libphonenumber
 * v9.0.11's; google-libphonenumber 3.2.43 bundles v9.0.14's, under which,
 * for example, +1 686 … (a US area code opened in between) is valid where
 * Kratos refuses it. phone-metadata/ holds v9.0.11's metadata as
 * libphonenumber generates it for JavaScript (written by
 * scripts/phone-metadata.ts; Apache-2.0, © The Libphonenumber Authors).
 *
 * google-libphonenumber reads its metadata from the module's exported
 * `metadata` object whenever a PhoneNumberUtil meets a region for the first
 * time, so the two maps are replaced there once, before the util below is
 * made. Nothing else in this process uses google-libphonenumber.
 */
const METADATA_FILE = new URL("./phone-metadata/libphonenumber-v9.0.11.json", import.meta.url);

const metadataFile = z.object({
  countryCodeToRegionCodeMap: z.record(z.string().regex(/^\d+$/), z.array(z.string())),
  countryToMetadata: z.record(z.string(), z.array(z.unknown())),
});

function kratosPhoneNumberUtil(): libphonenumber.PhoneNumberUtil {
  const data = metadataFile.parse(JSON.parse(readFileSync(METADATA_FILE, "utf8")));
  // Exported by the module but absent from its type declarations.
  const shared: unknown = Reflect.get(libphonenumber, "metadata");
  if (typeof shared !== "object" || shared === null) throw new Error("google-libphonenumber no longer exports its metadata");
  Reflect.set(shared, "countryCodeToRegionCodeMap", data.countryCodeToRegionCodeMap);
  Reflect.set(shared, "countryToMetadata", data.countryToMetadata);
  return new libphonenumber.PhoneNumberUtil();
}

export const phoneNumberUtil = kratosPhoneNumberUtil();
