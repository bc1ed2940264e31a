/**
 * Typed values out of a domain's stored settings rows, for the policies Hera
 * reads at run time (CAPTCHA, MFA): a key that is unset keeps its default,
 * and so does one whose stored text no longer parses — which is noted, so
 * the reader can say which rows to fix instead of failing on them.
 */
export interface StoredValues {
  /** The parsed value of `key`, or `fallback` when it is unset or its text does not parse (then `key` joins `invalid`). */
  readonly pick: <T>(key: string, parse: (text: string) => T | undefined, fallback: T) => T;
  /** The picked keys whose stored text did not parse, in the order they were picked. */
  readonly invalid: string[];
}

export function storedValues(stored: ReadonlyMap<string, string>): StoredValues {
  const invalid: string[] = [];
  return {
    invalid,
    pick: (key, parse, fallback) => {
      const text = stored.get(key);
      if (text === undefined) return fallback;
      const value = parse(text);
      if (value === undefined) invalid.push(key);
      return value ?? fallback;
    },
  };
}
