import { identifierKey, phoneKey } from "./identifier-key";
import { traitAddresses, type Fields, type KratosFlow } from "./submission";

/**
 * The verification mails a settings submission makes Kratos send. With
 * verification enabled, Kratos runs its verification hook after every saved
 * settings submission (driver/registry_default_settings.go
 * PostSettingsPostPersistHooks puts hook.Verifier first), and the hook mails
 * each of the identity's addresses still `pending` (selfservice/hook/
 * verification.go Verifier.do): an address a profile save has just added.
 * An address the identity already holds keeps its status (`sent`,
 * `completed`) and is not mailed again. So a `profile` save that swaps the
 * e-mail back and forth mails each new address, and is charged like any
 * requested mail.
 */

/** A settings flow as GET /self-service/settings/flows answers it: the identity it changes comes with it. */
interface SettingsFlow extends KratosFlow {
  identity?: { verifiable_addresses?: { value?: unknown; status?: unknown }[] };
}

/**
 * Whether Kratos' profile strategy runs a submission: it reads `method` as
 * flow.MethodEnabledAndAllowedFromRequest does (the body of a POST, the query
 * of a GET; exact match), here any of the values given, which only errs on
 * the side of charging.
 */
export function savesProfile(fields: Fields): boolean {
  return (fields.get("method") ?? []).includes("profile");
}

/**
 * The addresses a profile save has Kratos mail: each address in the
 * submitted traits (traitAddresses, keyed as every other mail) that the
 * flow's identity does not already hold with a status other than `pending`.
 * A save that keeps the identity's addresses is charged nothing.
 */
export function settingsMailAddresses(fields: Fields, flow: SettingsFlow): string[] {
  const held = new Set<string>();
  for (const address of flow.identity?.verifiable_addresses ?? []) {
    if (typeof address.value !== "string" || address.status === "pending") continue;
    held.add(identifierKey(address.value));
    const phone = phoneKey(address.value);
    if (phone !== undefined) held.add(phone);
  }
  return traitAddresses(fields, flow).filter((address) => !held.has(address));
}
