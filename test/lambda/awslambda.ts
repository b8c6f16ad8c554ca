// A stand-in for the `awslambda` global of Lambda's Node.js runtime, keeping its documented contract over a
// real Node Writable: `HttpResponseStream.from` sets the content type and writes `JSON(metadata)` and eight
// NUL bytes on the first write() only (end() alone sends no prelude, as in the runtime interface client).
// There is no AWS here; this is a test double of AWS's runtime, installed only inside the test process.
import { Writable } from "node:stream";

export const preludeContentType = "application/vnd.awslambda.http-integration-response";
const streamingMark = Symbol.for("aws.lambda.runtime.handler.streaming");

type WriteCallback = (error: Error | null | undefined) => void;
/** What may follow the chunk in `Writable.write`: a callback, or an encoding and a callback. */
type WriteRest = [callback?: WriteCallback] | [encoding: BufferEncoding, callback?: WriteCallback];

/** The prelude a streaming handler sends: the front door's result fields without the body. */
export interface Prelude {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
  multiValueHeaders?: Record<string, string[]>;
}

/** The response stream the runtime hands a streaming handler: bytes are recorded; `hold()` makes it slow. */
export class ResponseStream extends Writable {
  contentType = "application/octet-stream";
  readonly chunks: Buffer[] = [];
  _onBeforeFirstWrite: ((write: (chunk: string | Uint8Array) => boolean) => void) | undefined;
  #wrote = false;
  #gate: Promise<void> | undefined;
  #open: (() => void) | undefined;

  constructor(highWaterMark = 16 * 1024) {
    super({ highWaterMark });
  }

  setContentType(type: string): void {
    this.contentType = type;
  }

  override write(chunk: string | Uint8Array, ...rest: WriteRest): boolean {
    if (!this.#wrote) {
      this.#wrote = true;
      this._onBeforeFirstWrite?.((first) => super.write(first));
    }
    const [encodingOrCallback, callback] = rest;
    return typeof encodingOrCallback === "string"
      ? super.write(chunk, encodingOrCallback, callback)
      : super.write(chunk, encodingOrCallback);
  }

  override _write(chunk: Buffer, _encoding: string, callback: (error?: Error | null) => void): void {
    this.chunks.push(Buffer.from(chunk));
    if (this.#gate) void this.#gate.then(() => callback());
    else callback();
  }

  /** A client that stops reading: writes complete only after `release()`. */
  hold(): void {
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }

  release(): void {
    this.#gate = undefined;
    this.#open?.();
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export const awslambda = {
  streamifyResponse<H extends object>(handler: H): H {
    return Object.assign(handler, { [streamingMark]: "response" });
  },
  HttpResponseStream: {
    from(stream: ResponseStream, metadata: object): ResponseStream {
      stream.setContentType(preludeContentType);
      const prelude = JSON.stringify(metadata);
      stream._onBeforeFirstWrite = (write) => {
        write(prelude);
        write(new Uint8Array(8));
      };
      return stream;
    },
  },
};

/** Puts the double on globalThis for this test process; returns the function that takes it away. */
export function installAwsLambda(): () => void {
  const scope = globalThis as { awslambda?: unknown };
  scope.awslambda = awslambda;
  return () => {
    delete scope.awslambda;
  };
}

/** What left the function: the content type, the prelude as sent, and the body after the 8 NULs. */
export function received(stream: ResponseStream): {
  contentType: string;
  prelude: Prelude | undefined;
  body: Buffer;
} {
  const bytes = stream.bytes;
  const split = bytes.indexOf(Buffer.alloc(8));
  if (stream.contentType !== preludeContentType || split < 0)
    return { contentType: stream.contentType, prelude: undefined, body: bytes };
  return {
    contentType: stream.contentType,
    prelude: JSON.parse(bytes.subarray(0, split).toString("utf8")) as Prelude,
    body: bytes.subarray(split + 8),
  };
}
