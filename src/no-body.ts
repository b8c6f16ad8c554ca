/** Responses that carry no body on the wire, whatever the application returned (RFC 9110 §6.4.1). */
export function isBodyless(method: string, status: number): boolean {
  return method === "HEAD" || status === 204 || status === 304 || (status >= 100 && status < 200);
}
