import type { IncomingMessage } from "node:http";

/**
 * Calls `onRead` once, when something first asks for the request's body:
 * a `data` listener, pipe or resume() (the stream's `resume` event), or a
 * read() of its own (async iteration, `readable`). Node's internal read(0)
 * calls, which only prime the stream, do not count. Costs nothing on
 * requests it is not called for.
 */
export function whenBodyFirstRead(req: IncomingMessage, onRead: () => void): void {
  const read = req.read.bind(req) as (size?: number) => unknown;
  let asked = false;
  const onFirstRead = () => {
    if (asked) return;
    asked = true;
    req.read = read;
    req.off("resume", onFirstRead);
    onRead();
  };
  req.read = (size?: number): unknown => {
    if (size !== 0) onFirstRead();
    return read(size);
  };
  req.once("resume", onFirstRead);
}
