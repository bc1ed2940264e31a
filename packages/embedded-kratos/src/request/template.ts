import { fetchText, FetcherError, type FetcherOptions } from "../fetcher/fetcher";

/**
 * request/builder.go Builder.readTemplate: the body template of a web hook,
 * the password migration hook or a courier HTTP message, read through the
 * fetcher; a URI without a known scheme is the legacy form, a file path,
 * and is read again as `file://<uri>` (whose error is then the one returned).
 */
export async function readRequestTemplate(uri: string, options: FetcherOptions): Promise<string> {
  try {
    return await fetchText(uri, options);
  } catch (error) {
    if (!(error instanceof FetcherError) || !error.unknownScheme) throw error;
    return fetchText(`file://${uri}`, options);
  }
}
