import type { KratosConfig } from "../config/load";
import type { CourierRequestConfig } from "../config/schema";

/** One entry of Kratos' channel list: where messages of a channel id go. */
export type CourierChannel =
  | { id: string; type: "smtp" }
  | { id: string; type: "http"; requestConfig: CourierRequestConfig }
  /** A configured channel without a type Kratos knows (`type` left out); dispatching to it fails. */
  | { id: string; type: "unknown"; typeName: string };

/**
 * driver/config/config.go CourierChannels: the configured `courier.channels`
 * first, then the legacy `email` channel whose type is
 * `courier.delivery_strategy` (SMTP from `courier.smtp`, or HTTP from
 * `courier.http.request_config`). Read as the config is now, so a reload
 * applies to the next message.
 */
export function courierChannels(config: KratosConfig): CourierChannel[] {
  const configured: CourierChannel[] = (config.courier.channels ?? []).map((channel) =>
    channel.type === "http"
      ? { id: channel.id, type: "http", requestConfig: channel.request_config }
      : { id: channel.id, type: "unknown", typeName: channel.type ?? "" },
  );
  const email: CourierChannel =
    config.courier.delivery_strategy === "http"
      ? { id: "email", type: "http", requestConfig: config.courier.http.request_config }
      : { id: "email", type: "smtp" };
  return [...configured, email];
}

/** courier_dispatcher.go channels: the first channel with the message's channel id; its errors are the failed dispatch's. */
export function findChannel(config: KratosConfig, id: string): CourierChannel {
  const channel = courierChannels(config).find((c) => c.id === id);
  if (!channel) throw new Error(`no courier channels configured for: ${id}`);
  if (channel.type === "unknown") throw new Error(`unknown courier channel type: ${channel.typeName}`);
  return channel;
}
