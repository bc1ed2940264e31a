import "server-only";
import type { OryClientConfiguration } from "@ory/elements-react";
import { startupConfig } from "@olympus/runtime-config/config";
import { KRATOS_PROXY_PREFIX } from "./kratos-edge/edge";

/**
 * Ory Elements' configuration for this instance, built from runtime config
 * on the server and handed to the client components as plain data: the
 * browser talks to Hera's own origin only, where Hera serves this domain's
 * Kratos (app/.ory/kratos, with the abuse limits in front of it).
 */
export function elementsConfig(): OryClientConfiguration {
  const { domain, publicUrl, branding } = startupConfig();
  return {
    sdk: { url: `${publicUrl}${KRATOS_PROXY_PREFIX}`, options: { credentials: "include" } },
    project: {
      name: branding.productName,
      logo_light_url: branding.logoPath,
      hide_ory_branding: true,
      default_redirect_url: `${publicUrl}/`,
      error_ui_url: `${publicUrl}/error`,
      login_ui_url: `${publicUrl}/login`,
      registration_ui_url: `${publicUrl}/registration`,
      recovery_ui_url: `${publicUrl}/recovery`,
      verification_ui_url: `${publicUrl}/verification`,
      settings_ui_url: `${publicUrl}/settings`,
      // Employees are invited by an administrator: IAM has no sign-up.
      registration_enabled: domain === "ciam",
      recovery_enabled: true,
      verification_enabled: true,
    },
  };
}
