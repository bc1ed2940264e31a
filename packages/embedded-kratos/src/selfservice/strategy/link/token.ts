import { randomAlnum } from "../../../session/tokens";

/** Link tokens: 32 random alphanumerics (~190 bits), stored only as HMACs. */
export const newLinkToken = () => randomAlnum(32);

export function linkUrl(base: string, kind: "recovery" | "verification", flowId: string, token: string): string {
  const url = new URL(`${base}self-service/${kind}`);
  url.searchParams.set("flow", flowId);
  url.searchParams.set("token", token);
  return url.toString();
}
