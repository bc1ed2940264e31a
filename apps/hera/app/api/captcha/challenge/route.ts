import { edgeCaptcha } from "@/lib/server/kratos-edge/instance";

export const dynamic = "force-dynamic";

/**
 * `GET /api/captcha/challenge`: a fresh ALTCHA challenge for the widget, at
 * the difficulty Athena's settings give now, signed by this instance and
 * valid for a few minutes. Issuing one stores nothing; only a solved one,
 * when the edge accepts it, is remembered (so it is accepted once).
 */
export async function GET() {
  try {
    const captcha = edgeCaptcha();
    const { difficulty } = await captcha.policy.current();
    return Response.json(await captcha.challenges.create(difficulty), { headers: { "cache-control": "no-store" } });
  } catch {
    return Response.json(
      {
        error: {
          code: 503,
          status: "Service Unavailable",
          message: "The anti-robot check is temporarily unavailable; try again in a moment.",
        },
      },
      { status: 503, headers: { "cache-control": "no-store", "retry-after": "5" } },
    );
  }
}
