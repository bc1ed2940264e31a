import type { UiText } from "../../../ui/messages";
import { inputNode, type InputNode } from "../../../ui/node";

/** AddProvider: a `provider` submit button of group `oidc` whose value is the provider id. */
export function providerNode(providerId: string, label: UiText): InputNode {
  return inputNode("oidc", "provider", "submit", { value: providerId, label });
}

/** NewLinkNode / NewUnlinkNode of the settings flow. */
export function linkNode(name: "link" | "unlink", providerId: string, label: UiText): InputNode {
  return inputNode("oidc", name, "submit", { value: providerId, label });
}
