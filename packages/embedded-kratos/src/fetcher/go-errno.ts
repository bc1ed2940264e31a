/** syscall.Errno texts (Go's zerrors tables; the same in Go 1.19 and 1.26) where libuv words them differently or Node adds its prefix. */
const ERRNO_TEXTS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  ENOTDIR: "not a directory",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "file name too long",
  EMFILE: "too many open files",
  EISDIR: "is a directory",
};

/** What follows `errno: ` in Go's *PathError for a Node fs error (libuv's text, without Node's code and call). */
export function goErrnoText(error: unknown): string {
  const code = error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : "";
  const known = ERRNO_TEXTS[code];
  if (known) return known;
  const message = error instanceof Error ? error.message : String(error);
  return /^[A-Z0-9]+: (.*?), \w+ '.*'$/s.exec(message)?.[1] ?? message;
}
