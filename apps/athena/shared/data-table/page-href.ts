/**
 * The address of another page of a filtered list: `path` with the
 * parameters that are set, in the order given (the filters, then the page's
 * cursor), so a pager link keeps the filters on screen.
 */
export function pageHref(path: string, params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams(
    Object.entries(params).flatMap(([name, value]) => (value === undefined || value === "" ? [] : [[name, String(value)]])),
  );
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}
