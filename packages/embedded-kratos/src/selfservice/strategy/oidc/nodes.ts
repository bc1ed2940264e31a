import type { UiContainer } from "../../../ui/container";
import type { UiText } from "../../../ui/messages";
import { inputNode, type InputNode } from "../../../ui/node";
import { goValueText } from "../../../ui/node-value-text";

/** AddProvider: a `provider` submit button of group `oidc` whose value is the provider id. */
export function providerNode(providerId: string, label: UiText): InputNode {
  return inputNode("oidc", "provider", "submit", { value: providerId, label });
}

/**
 * types.go AddProvider: the provider's button replaces the buttons already
 * there for that very provider (Nodes.RemoveMatching: name `provider`, an
 * input of group `oidc`, type `submit`, the value's `%v` text equal to the
 * id) and goes last. Other providers' buttons stay, so a form populated
 * again (the registration's credential-selection screen) keeps one button
 * per provider.
 */
export function addProviderNode(ui: UiContainer, providerId: string, label: UiText): void {
  const button = providerNode(providerId, label);
  ui.nodes = ui.nodes.filter(
    (n) =>
      !(
        n.type === "input" &&
        n.group === button.group &&
        n.attributes.name === button.attributes.name &&
        n.attributes.type === button.attributes.type &&
        goValueText(n) === providerId
      ),
  );
  ui.nodes.push(button);
}

/** NewLinkNode / NewUnlinkNode of the settings flow. */
export function linkNode(name: "link" | "unlink", providerId: string, label: UiText): InputNode {
  return inputNode("oidc", name, "submit", { value: providerId, label });
}
