/**
 * The statuses whose Response must have a null body (Fetch §2.2.3, "null body status"): `new Response(body,
 * { status })` refuses a body with them.
 */
export function isNullBodyStatus(status: number): boolean {
  return status === 101 || status === 103 || status === 204 || status === 205 || status === 304;
}

/** Responses that carry no body on the wire, whatever the application returned (RFC 9110 §6.4.1). */
export function isBodyless(method: string, status: number): boolean {
  return method === "HEAD" || status === 204 || status === 304 || (status >= 100 && status < 200);
}
