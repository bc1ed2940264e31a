import { readFileSync } from "node:fs";
import { ADMIN_ONLY_KEYS } from "@olympus/ory-client/identity";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { Problem } from "../problem";
import { at, isObject, type YamlValue } from "../yaml";

const ORY_EXTENSION = "ory.sh/kratos";

/** Compiles an identity schema the way Kratos validates traits (draft-07, formats on). */
export function compileIdentitySchema(file: string): ValidateFunction {
  // Not strict: Ory's "ory.sh/kratos" extension (identifiers, verifiable and
  // recovery addresses) is not a valid Ajv keyword name and validates nothing.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const schema: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!isObject(schema)) throw new Error(`${file}: an identity schema must be a JSON object`);
  return ajv.compile(schema);
}

/** The email trait must be the sign-in identifier and the verification and recovery address. */
export function checkIdentitySchema(file: string): Problem[] {
  const problems: Problem[] = [];
  const schema = JSON.parse(readFileSync(file, "utf8")) as YamlValue;
  const email = at(schema, "properties.traits.properties.email");
  const extension = isObject(email) ? email[ORY_EXTENSION] : undefined;
  const expect = (path: string, expected: YamlValue) => {
    if (at(extension, path) !== expected)
      problems.push({ where: `${file}:traits.email`, message: `${ORY_EXTENSION} ${path} must be ${String(expected)}` });
  };
  expect("credentials.password.identifier", true);
  expect("verification.via", "email");
  expect("recovery.via", "email");
  const required = at(schema, "properties.traits.required");
  if (!Array.isArray(required) || !required.includes("email"))
    problems.push({ where: `${file}:traits`, message: "email must be required" });
  return problems;
}

/**
 * Traits a schema declares that only an administrator may decide (the Athena
 * role, CIAM business attributes). Kratos' settings flow lets every person
 * edit their own traits, so these belong in metadata_admin; any found here
 * is a way to promote oneself.
 */
export function adminOnlyTraits(file: string): string[] {
  const schema = JSON.parse(readFileSync(file, "utf8")) as YamlValue;
  const traits = at(schema, "properties.traits.properties");
  if (!isObject(traits)) return [];
  const forbidden = new Set(Object.values(ADMIN_ONLY_KEYS).flat());
  return Object.keys(traits).filter((key) => forbidden.has(key));
}
