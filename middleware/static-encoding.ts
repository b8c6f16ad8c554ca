// Which precompressed sibling a client may get: `file.br` or `file.gz`, by its Accept-Encoding.

/** A precompressed sibling: the encoding it is in and the suffix of its file name. */
export interface Precompressed {
  encoding: "br" | "gzip";
  suffix: ".br" | ".gz";
}

const BR: Precompressed = { encoding: "br", suffix: ".br" };
const GZIP: Precompressed = { encoding: "gzip", suffix: ".gz" };

/**
 * The precompressed variants `Accept-Encoding` allows, best first (RFC 9110 §12.5.3): by q-value, Brotli
 * before gzip at equal q; `q=0` refuses one; `*` stands for any not named.
 *
 * @example
 * acceptedVariants("gzip, deflate, br"); // [BR, GZIP]
 */
export function acceptedVariants(header: string | null): Precompressed[] {
  if (header === null || header === "") return [];
  const q: Record<"br" | "gzip" | "*", number | undefined> = { br: undefined, gzip: undefined, "*": undefined };
  for (const item of header.split(",")) {
    const [name = "", ...params] = item.split(";");
    const coding = name.trim().toLowerCase();
    if (coding !== "br" && coding !== "gzip" && coding !== "x-gzip" && coding !== "*") continue;
    const weight = params.map((param) => /^\s*q\s*=\s*([\d.]+)\s*$/i.exec(param)?.[1]).find((v) => v !== undefined);
    const value = weight === undefined ? 1 : Number(weight);
    q[coding === "x-gzip" ? "gzip" : coding] = Number.isNaN(value) ? 0 : value;
  }
  const br = q.br ?? q["*"] ?? 0;
  const gzip = q.gzip ?? q["*"] ?? 0;
  const variants: [Precompressed, number][] = [
    [BR, br],
    [GZIP, gzip],
  ];
  return variants
    .filter(([, weight]) => weight > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([variant]) => variant);
}
