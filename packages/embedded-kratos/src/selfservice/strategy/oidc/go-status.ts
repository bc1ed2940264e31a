/**
 * Go's Response.Status as errors print it: the code and the reason phrase
 * the server sent, or the standard phrase when the answer carried none.
 */
export const statusLine = (response: Response): string => `${response.status} ${response.statusText || statusText(response.status)}`;

export const statusText = (status: number): string => STATUS_TEXT[status] ?? "";

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};
