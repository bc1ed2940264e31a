/** An e-mail trait that is the password identifier: the trait most test schemas sign in with. */
export const PASSWORD_EMAIL_TRAIT = {
  type: "string",
  format: "email",
  "ory.sh/kratos": { credentials: { password: { identifier: true } } },
} as const;

/** An e-mail trait that signs in by code and is the verification and recovery address: the courier suites' address. */
export const CODE_EMAIL_TRAIT = {
  type: "string",
  format: "email",
  "ory.sh/kratos": {
    credentials: { code: { identifier: true, via: "email" } },
    verification: { via: "email" },
    recovery: { via: "email" },
  },
} as const;

/** A draft-07 identity schema document whose `traits` object has these properties (and `required`, when given). */
export function traitsSchema(properties: Record<string, unknown>, options: { $id?: string; required?: string[] } = {}) {
  return {
    ...(options.$id === undefined ? {} : { $id: options.$id }),
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    properties: { traits: { type: "object", properties, ...(options.required === undefined ? {} : { required: options.required }) } },
  };
}
