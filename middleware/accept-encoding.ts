// Content negotiation for Accept-Encoding (RFC 9110 §12.5.3), for compress() and static()'s precompressed
// files alike: the codings the header accepts, by q-value, and between equal ones the server's preference.

/** A content coding compress() can produce. */
export type Encoding = "br" | "gzip" | "deflate";

/** A coding and its weight, as an Accept-Encoding member gives them (q=1 when it names none). */
interface Weighted {
  coding: string;
  q: number;
}

// RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ); anything else weighs nothing.
const qvalue = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

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
      q = qvalue.test(value.trim()) ? Number(value) : 0;
    }
    members.push({ coding: coding === "x-gzip" ? "gzip" : coding, q });
  }
  return members;
}

/**
 * The codings of `offered` (in the server's order of preference) that the header accepts, best first:
 * by q-value, and in `offered`'s order at equal q. Empty for no header, or nothing acceptable.
 *
 * @example
 * acceptedEncodings("gzip;q=0.8, br", ["br", "gzip", "deflate"]); // ["br", "gzip"]
 */
export function acceptedEncodings<C extends string>(header: string | null, offered: readonly C[]): C[] {
  if (header === null || header.trim() === "") return [];
  const members = parse(header);
  const wildcard = members.find((member) => member.coding === "*")?.q;
  // A coding the header names weighs what it says; one it leaves out weighs what `*` says, else nothing.
  const weighed = offered.map((coding) => ({
    coding,
    q: members.find((member) => member.coding === coding)?.q ?? wildcard ?? 0,
  }));
  // sort is stable: equal weights keep the server's order.
  return weighed
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((entry) => entry.coding);
}

/**
 * The coding to answer with: the best of `offered` the header accepts, or undefined for the identity.
 *
 * @example
 * negotiateEncoding("gzip;q=0.8, br", ["br", "gzip", "deflate"]); // "br"
 * negotiateEncoding("gzip;q=0, *", ["gzip", "deflate"]); // "deflate"
 */
export function negotiateEncoding(header: string | null, offered: readonly Encoding[]): Encoding | undefined {
  return acceptedEncodings(header, offered)[0];
}
