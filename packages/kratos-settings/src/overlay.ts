import type { SocialSignIn } from "@olympus/athena-store/settings";
import { stringify } from "yaml";
import { kratosOidcMethod, type DefaultMapperOptions, type KratosOidcMethod } from "./social";
import { smtpConnectionUri, type StoredSmtpSettings } from "./smtp";

/** What Athena's settings say about Kratos, as read from one domain's rows. */
export interface KratosSettings {
  /** Absent: the domain has no SMTP settings and Kratos keeps its base config's courier. */
  smtp?: StoredSmtpSettings;
  social: Pick<SocialSignIn, "enabled" | "providers">;
}

/** The keys of Kratos' config this overlay sets; Kratos merges it over the base config (`-c base.yml -c overlay.yml`). */
export interface KratosOverlay {
  courier?: { smtp: { connection_uri: string; from_address?: string; from_name?: string } };
  selfservice: { methods: { oidc: KratosOidcMethod } };
}

export interface RenderOptions extends DefaultMapperOptions {
  /**
   * The deployment's own relay for a domain without SMTP settings. Needed
   * where Kratos used to get it from COURIER_SMTP_CONNECTION_URI: an
   * environment variable wins over every config file in Kratos, so it would
   * hide the overlay's SMTP settings; the relay moves here instead.
   */
  defaultSmtpConnectionUri?: string;
}

export function renderKratosOverlay(settings: KratosSettings, options: RenderOptions = {}): KratosOverlay {
  const overlay: KratosOverlay = { selfservice: { methods: { oidc: kratosOidcMethod(settings.social, options) } } };
  if (!settings.smtp && options.defaultSmtpConnectionUri) {
    overlay.courier = { smtp: { connection_uri: options.defaultSmtpConnectionUri } };
  } else if (settings.smtp) {
    overlay.courier = {
      smtp: {
        connection_uri: smtpConnectionUri(settings.smtp),
        ...(settings.smtp.fromAddress ? { from_address: settings.smtp.fromAddress } : {}),
        ...(settings.smtp.fromName ? { from_name: settings.smtp.fromName } : {}),
      },
    };
  }
  return overlay;
}

const HEADER = `# Rendered from Athena's settings by @olympus/kratos-settings; do not edit.
# Kratos merges it over its base config (kratos serve -c kratos.yml -c <this file>)
# and reloads it when it changes. It holds secrets: keep it private (mode 0600).
`;

/** The overlay as the YAML file Kratos reads; the same settings always give the same bytes. */
export function renderKratosOverlayYaml(settings: KratosSettings, options: RenderOptions = {}): string {
  return HEADER + stringify(renderKratosOverlay(settings, options), { lineWidth: 0 });
}
