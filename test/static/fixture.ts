// The files the static-file tests serve: a root with the kinds of file serveStatic must handle, symlinks
// that stay inside it and ones that lead out, and secrets beside it that no request may ever read.
import {
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  symlinkSync,
  closeSync,
  ftruncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";

/** What no response may contain: the contents of the files outside the root. */
export const SECRET = "TSGI-STATIC-SECRET-7f3a9c";
export const GiB = 1024 * 1024 * 1024;

export interface StaticFixture {
  /** The folder holding the root and, beside it, the secrets. */
  base: string;
  root: string;
  /** 100 000 bytes of a known pattern, for the range cases. */
  binary: Uint8Array;
  css: string;
  remove(): void;
}

/** Builds the fixture in a fresh temporary folder; `huge` adds a sparse 1 GiB file (no disk used). */
export function staticFixture(options: { huge?: boolean } = {}): StaticFixture {
  const base = mkdtempSync(join(tmpdir(), "tsgi-static-"));
  const root = join(base, "root");
  const file = (path: string, data: string | Uint8Array) => writeFileSync(join(base, path), data);
  for (const dir of ["root", "root/sub", "root/docs", "root/.hidden", "root-evil"]) mkdirSync(join(base, dir));
  file("secret.txt", SECRET);
  file("root-evil/secret.txt", SECRET);
  file("root/hello.txt", "hello, static\n");
  file("root/index.html", "<h1>home</h1>\n");
  file("root/sub/index.html", "<h1>sub</h1>\n");
  file("root/docs/readme.md", "# readme\n");
  file("root/app.js", "console.log(1);\n");
  file("root/empty.txt", "");
  file("root/.env", `TOKEN=${SECRET}`);
  file("root/.hidden/page.html", "hidden");
  file("root/caf\u00e9 menu.txt", "menu\n");
  const binary = new Uint8Array(100_000).map((_, i) => (i * 31 + 7) % 256);
  file("root/data.bin", binary);
  const css = `body { color: red; }\n${"/* padding */\n".repeat(200)}`;
  file("root/style.css", css);
  file("root/style.css.br", brotliCompressSync(css));
  file("root/style.css.gz", gzipSync(css));
  file("root/app.js.gz", gzipSync("console.log(1);\n"));
  symlinkSync("hello.txt", join(root, "link-inside.txt"));
  symlinkSync("sub", join(root, "linkdir-inside"));
  symlinkSync("../secret.txt", join(root, "link-out.txt"));
  symlinkSync("..", join(root, "linkdir-out"));
  symlinkSync("../root-evil", join(root, "link-sibling"));
  symlinkSync(join(base, "secret.txt"), join(root, "link-absolute.txt"));
  if (options.huge) {
    const fd = openSync(join(root, "huge.bin"), "w");
    ftruncateSync(fd, GiB);
    closeSync(fd);
  }
  return { base, root, binary, css, remove: () => rmSync(base, { recursive: true, force: true }) };
}
