import { unstorableReason } from "@olympus/server-kit/text";
import { HydraError } from "./errors";

/**
 * Throws Hydra's 400 when a string or key of a parsed body is not storable
 * text (NUL, unpaired UTF-16 surrogates: text and jsonb refuse them) or the
 * body nests too deeply — refused at the edge instead of failing as a 500 in
 * the middle of a write or a lookup.
 */
export function assertStorable(value: unknown): void {
  const reason = unstorableReason(value);
  if (reason === "text")
    throw HydraError.badRequest("The request contains characters that cannot be stored (NUL or unpaired UTF-16 surrogates)");
  if (reason === "depth") throw HydraError.badRequest("The request body is nested too deeply");
}
