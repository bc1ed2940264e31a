import { randomInt } from "node:crypto";
import type { HydraConfig } from "../config/load";

/** ory/x randx.AlphaNumNoAmbiguous: letters and digits without the look-alikes (0/O, 1/l/I, 2/Z, 5/S, 8/B, …). */
const ALPHA_NUM_NO_AMBIGUOUS = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679";
const ALPHA_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const NUMERIC = "0123456789";

/** Hydra's userCodeEntropyPreset (driver/config/provider.go): length and alphabet of each preset. */
const PRESETS = {
  high: { length: 8, symbols: ALPHA_NUM_NO_AMBIGUOUS },
  medium: { length: 8, symbols: ALPHA_UPPER },
  low: { length: 9, symbols: NUMERIC },
} as const;

export interface UserCodeFormat {
  length: number;
  symbols: string;
}

/** GetUserCodeLength / GetUserCodeSymbols: explicit length and character set win over the preset. */
export function userCodeFormat(config: HydraConfig): UserCodeFormat {
  const { user_code: userCode } = config.oauth2.device_authorization;
  const preset = PRESETS[userCode.entropy_preset];
  return { length: userCode.length ?? preset.length, symbols: userCode.character_set ?? preset.symbols };
}

/** randx.RuneSequence: each character drawn uniformly from the alphabet with a CSPRNG. */
export function generateUserCode(format: UserCodeFormat): string {
  const symbols = [...format.symbols];
  return Array.from({ length: format.length }, () => symbols[randomInt(symbols.length)]).join("");
}
