// fromNodeListener on workerd: its node:http (nodejs_compat) has no client over a custom connection, so the
// request goes through workerd's own bridge, `cloudflare:node`'s handleAsNodeRequest, to a server it listens.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

interface CloudflareNode {
  handleAsNodeRequest(port: number, request: Request): Promise<Response>;
}

// A name, not a literal: bundles for the other runtimes must not try to resolve workerd's own module.
const bridgeModule = "cloudflare:node";
const ports = new WeakMap<object, Promise<number>>();
let bridge: Promise<CloudflareNode> | undefined;

/** The port workerd's bridge knows the listener's server by, listened once per listener. */
function portOf(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  let port = ports.get(listener);
  if (port === undefined) {
    const server: Server = createServer(listener);
    port = new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      // Port 0: workerd picks one that no other server of this isolate holds.
      server.listen(0, () => {
        const address = server.address();
        if (address !== null && typeof address === "object") resolve(address.port);
        else reject(new Error("workerd's node:http gave no port for the listener's server"));
      });
    });
    ports.set(listener, port);
  }
  return port;
}

/**
 * The listener's answer to `request` on workerd, through `cloudflare:node`'s handleAsNodeRequest.
 *
 * @example
 * return answerOnWorkerd(listener, request);
 */
export async function answerOnWorkerd(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  request: Request,
): Promise<Response> {
  bridge ??= import(bridgeModule) as Promise<CloudflareNode>;
  return (await bridge).handleAsNodeRequest(await portOf(listener), request);
}
