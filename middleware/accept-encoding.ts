// Content negotiation for Accept-Encoding (RFC 9110 §12.5.3): the coding with the highest q-value that the
// server has; between codings of equal q-value, the server's order of preference.

/** A content coding compress() can produce. */
export type Encoding = "br" | "gzip" | "deflate";

/** A coding and its weight, as an Accept-Encoding member gives them (q=1 when it names none). */
interface Weighted {
  coding: string;
  q: number;
}

function parse(header: string): Weighted[] {
  const members: Weighted[] = [];
  for (const member of header.split(",")) {
    const [name = "", ...params] = member.split(";");
    const coding = name.trim().toLowerCase();
    if (coding === "") continue;
    let q = 1;
    for (const param of params) {
      const [key = "", value = ""] = param.split("=");
      if (key.trim().toLowerCase() !== "q") continue;
      // RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ); anything else weighs nothing.
      q = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value.trim()) ? Number(value) : 0;
    }
    members.push({ coding: coding === "x-gzip" ? "gzip" : coding, q });
  }
  return members;
}

/**
 * The coding to answer with: one of `offered` (in the server's order of preference) that the header
 * accepts with the highest q-value, or undefined for the identity (no header, or nothing acceptable).
 *
 * @example
 * negotiateEncoding("gzip;q=0.8, br", ["br", "gzip", "deflate"]); // "br"
 * negotiateEncoding("gzip;q=0, *", ["gzip", "deflate"]); // "deflate"
 */
export function negotiateEncoding(header: string | null, offered: readonly Encoding[]): Encoding | undefined {
  if (header === null || header.trim() === "") return undefined;
  const members = parse(header);
  const wildcard = members.find((member) => member.coding === "*")?.q;
  let best: Encoding | undefined;
  let bestQ = 0;
  for (const coding of offered) {
    // A coding the header names weighs what it says; one it leaves out weighs what `*` says, else nothing.
    const q = members.find((member) => member.coding === coding)?.q ?? wildcard ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}
