import { FlowCard, type FlowCardProps } from "@/components/elements/flow-card";
import { PENDING_SCRIPT } from "@/components/elements/pending";

/**
 * A self-service flow's card: server-rendered as a plain HTML form that
 * posts to Kratos (works without JavaScript), hydrated into Ory Elements
 * when JavaScript runs. The script right after the card holds its controls
 * until then.
 */
export function FlowPage({ nonce, ...card }: FlowCardProps & { nonce: string | undefined }) {
  return (
    <>
      <FlowCard {...card} />
      <script nonce={nonce} dangerouslySetInnerHTML={{ __html: PENDING_SCRIPT }} />
    </>
  );
}
