/** Next's searchParams value: one string, several, or none. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of a query parameter, if it is non-empty. */
export function one(params: SearchParams, name: string): string | undefined {
  const value = params[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === "" ? undefined : first;
}
