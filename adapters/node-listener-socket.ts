// The in-memory connection fromNodeListener runs Node's own HTTP machinery over: two ends of one Duplex pair,
// the server's end handed to a never-listening http.Server, the client's end to an http.request.
import { Duplex } from "node:stream";

/** What the listener sees of the connection (`req.socket`): the client's address and whether it was TLS. */
export interface SocketFacts {
  remoteAddress: string | undefined;
  /** `req.socket.encrypted`, which Express's `req.protocol` and `req.secure` read. */
  encrypted: boolean;
  localPort: number;
}

/** One end of the pair: what one side writes, the other reads, with backpressure (a write waits for the read). */
export class MemorySocket extends Duplex {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly remoteFamily: string | undefined;
  readonly localAddress = "127.0.0.1";
  readonly localPort: number;
  readonly encrypted: boolean | undefined;
  readonly connecting = false;
  peer: MemorySocket | undefined;
  #resume: (() => void) | undefined;
  readonly #drainsPeer: boolean;
  /** What the side that owns this end does when the other side fails the exchange (fromNodeListener's reject). */
  onFail: ((error: unknown) => void) | undefined;

  constructor(facts: SocketFacts | undefined) {
    super({ allowHalfOpen: true });
    this.remoteAddress = facts?.remoteAddress;
    this.remotePort = facts?.remoteAddress === undefined ? undefined : 0;
    this.remoteFamily = facts?.remoteAddress?.includes(":") ? "IPv6" : "IPv4";
    this.localPort = facts?.localPort ?? 0;
    // Only the server's end claims TLS; a plain net.Socket has no `encrypted` at all.
    this.encrypted = facts?.encrypted === true ? true : undefined;
    this.#drainsPeer = facts !== undefined;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    if (peer === undefined || peer.destroyed) return callback(new Error("the in-memory connection is closed"));
    // A copy, as a kernel socket makes one: a writer may reuse its buffer once the write is done.
    if (peer.push(Buffer.from(chunk))) callback();
    else peer.#resume = () => callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.peer?.push(null);
    callback();
  }

  override _read(): void {
    const resume = this.#resume;
    this.#resume = undefined;
    resume?.();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    this.#resume = undefined;
    // The server's end closing after its last write (Connection: close) leaves that write to be read, as TCP does.
    if (peer !== undefined && !peer.destroyed && this.#drainsPeer && error === null && !peer.readableEnded) {
      peer.once("end", () => peer.destroy());
      peer.push(null);
    } else if (peer !== undefined && !peer.destroyed) peer.destroy();
    callback(error);
  }

  // What node:http calls on a net.Socket; an in-memory connection has no timers or Nagle to set.
  setTimeout(_ms: number, _callback?: () => void): this {
    return this;
  }
  setNoDelay(_noDelay?: boolean): this {
    return this;
  }
  setKeepAlive(_enable?: boolean, _delay?: number): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  address(): { address: string; family: string; port: number } {
    return { address: this.localAddress, family: "IPv4", port: this.localPort };
  }
}

/**
 * Two connected ends: `[server, client]`. Destroying either destroys both.
 *
 * @example
 * const [inner, outer] = socketPair({ remoteAddress: "203.0.113.9", encrypted: false, localPort: 80 });
 * httpServer.emit("connection", inner);
 */
export function socketPair(facts: SocketFacts): [MemorySocket, MemorySocket] {
  const server = new MemorySocket(facts);
  const client = new MemorySocket(undefined);
  server.peer = client;
  client.peer = server;
  return [server, client];
}
