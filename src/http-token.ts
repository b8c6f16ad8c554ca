// RFC 9110 §5.6.2 token: the characters of a header name or a method, checked in one place.
const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Whether `text` is an HTTP token (a valid header name or method).
 *
 * @example
 * isToken("X-Request-Id"); // true
 * isToken("a b"); // false
 */
export function isToken(text: string): boolean {
  return token.test(text);
}
