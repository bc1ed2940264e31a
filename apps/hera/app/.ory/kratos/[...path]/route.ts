import { kratosEdge } from "@/lib/server/kratos-edge/instance";

export const dynamic = "force-dynamic";

/**
 * Kratos' public API on Hera's own origin (Kratos' `serve.public.base_url`
 * is Hera's public URL plus /.ory/kratos/): every browser call of Ory
 * Elements, every plain form post and every link in a mail comes here, passes
 * Hera's abuse limits and is forwarded to this domain's Kratos server-side
 * (lib/server/kratos-edge).
 */
function handle(request: Request): Promise<Response> {
  return kratosEdge().handle(request);
}

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
