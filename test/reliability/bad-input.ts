// Bad input over raw sockets (issue 5): each case gets a 4xx or a closed connection, never a crash,
// and the next connection is served. What each runtime did is recorded for the report.
import { rawRequest } from "../conformance/wire.ts";

export interface BadInput {
  name: string;
  /** The bytes to send; a function for inputs that trickle. */
  send: string;
  /** Outcomes that are right for it: a status code, or "closed" for a connection closed without one. */
  accept: (number | "closed")[];
}

const host = "Host: x\r\n";

export const badInputs: BadInput[] = [
  { name: "malformed request line", send: "GARBAGE\r\n\r\n", accept: [400, "closed"] },
  { name: "unknown HTTP version", send: `GET / HTTP/9.9\r\n${host}\r\n`, accept: [400, 505, "closed"] },
  { name: "invalid header name", send: `GET /hello HTTP/1.1\r\n${host}Bad Header: x\r\n\r\n`, accept: [400, "closed"] },
  {
    name: "control character in a header value",
    send: `GET /hello HTTP/1.1\r\n${host}X-Bad: a\x01b\r\n\r\n`,
    accept: [400, "closed"],
  },
  // RFC 9112 §2.2 lets a recipient take a bare LF as a line end: then these are two well-formed headers.
  {
    name: "bare LF inside a header value",
    send: `GET /hello HTTP/1.1\r\n${host}X-Bad: a\nInjected: yes\r\n\r\n`,
    accept: [400, "closed", 200],
  },
  {
    name: "oversized headers (96 KiB)",
    send: `GET /hello HTTP/1.1\r\n${host}X-Big: ${"a".repeat(96 * 1024)}\r\n\r\n`,
    accept: [400, 413, 431, "closed"],
  },
  {
    name: "Content-Length with Transfer-Encoding (smuggling)",
    send: `POST /echo HTTP/1.1\r\n${host}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /hello HTTP/1.1\r\n${host}\r\n`,
    accept: [400, "closed"],
  },
  {
    name: "two different Content-Length headers",
    send: `POST /echo HTTP/1.1\r\n${host}Content-Length: 3\r\nContent-Length: 5\r\n\r\nabcde`,
    accept: [400, "closed"],
  },
  {
    name: "negative Content-Length",
    send: `POST /echo HTTP/1.1\r\n${host}Content-Length: -1\r\n\r\n`,
    accept: [400, "closed"],
  },
  {
    name: "bad chunk size",
    send: `POST /echo HTTP/1.1\r\n${host}Transfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n`,
    accept: [400, "closed"],
  },
  { name: "invalid Host header", send: `GET /hello HTTP/1.1\r\nHost: a b/c\r\n\r\n`, accept: [400, "closed"] },
  // A runtime that pasted this Host into request.url would route /hello as /x.
  {
    name: "Host that would move the path",
    send: `GET /hello HTTP/1.1\r\nHost: evil.com/x?\r\n\r\n`,
    accept: [400, "closed"],
  },
  // Every character of it may stand in a Host, but the URL standard refuses "%b" as a host.
  { name: "Host the URL parser refuses", send: `GET /hello HTTP/1.1\r\nHost: a%b\r\n\r\n`, accept: [400, "closed"] },
  { name: "request-target that is not a path", send: `GET hello HTTP/1.1\r\n${host}\r\n`, accept: [400, "closed"] },
];

export interface Outcome {
  /** The first status code the server answered, or "closed". */
  result: number | "closed";
  raw: string;
}

/** Sends one bad input on a fresh connection and reads what the server did. */
export async function tryInput(base: string, input: BadInput): Promise<Outcome> {
  const reply = await rawRequest(base, input.send, { timeout: 5000, until: (raw) => raw.includes("\r\n\r\n") });
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(reply.raw);
  return { result: status ? Number(status[1]) : "closed", raw: reply.raw };
}
