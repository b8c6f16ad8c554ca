// Which precompressed sibling a client may get: `file.br` or `file.gz`, by its Accept-Encoding.
import { acceptedEncodings } from "./accept-encoding.ts";

/** A precompressed sibling: the encoding it is in and the suffix of its file name. */
export interface Precompressed {
  encoding: "br" | "gzip";
  suffix: ".br" | ".gz";
}

const variants: Record<Precompressed["encoding"], Precompressed> = {
  br: { encoding: "br", suffix: ".br" },
  gzip: { encoding: "gzip", suffix: ".gz" },
};
const preference = ["br", "gzip"] as const;

/**
 * The precompressed variants `Accept-Encoding` allows, best first, read as compress() reads it: by
 * q-value, Brotli before gzip at equal q; `q=0` refuses one; `*` stands for any not named.
 *
 * @example
 * acceptedVariants("gzip, deflate, br"); // [{ encoding: "br", … }, { encoding: "gzip", … }]
 */
export function acceptedVariants(header: string | null): Precompressed[] {
  return acceptedEncodings(header, preference).map((encoding) => variants[encoding]);
}
