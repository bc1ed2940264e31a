import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A bench's floor: a bare node:http server on a loopback port the kernel
 * picks, answering with `handle` alone — no router, no security headers, no
 * response shaping. A server's rate beside its floor's says what the server
 * around the database round trip costs, whatever the machine.
 */
export interface FloorServer {
  url: string;
  close: () => Promise<void>;
}

/** Starts the floor; `release` frees what `handle` uses (its pool) once the server has closed. */
export async function startFloorServer(handle: RequestListener, release: () => Promise<void>): Promise<FloorServer> {
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await release();
    },
  };
}
