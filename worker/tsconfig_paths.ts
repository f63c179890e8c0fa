/**
 * `tsconfig.json`'s `compilerOptions.paths` as an import map (Deno does not read them itself), and
 * the JSONC reading it needs (tsconfig files have comments and trailing commas).
 *
 * @module
 */
import { join } from "./_paths.ts";

/**
 * Strips `//` and block comments and trailing commas from JSONC (tsconfig.json, deno.jsonc),
 * leaving strings alone.
 *
 * @param text The JSONC text.
 * @returns Plain JSON text.
 *
 * @example Usage
 * ```ts
 * import { stripJsonComments } from "./tsconfig_paths.ts";
 * import assert from "node:assert/strict";
 *
 * const text = '{ // paths\n "a": "//not a comment", /* b *\/ "c": [1, 2,], }';
 * assert.deepEqual(JSON.parse(stripJsonComments(text)), { a: "//not a comment", c: [1, 2] });
 * ```
 */
export function stripJsonComments(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (char === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (char === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
    } else {
      out += char;
    }
  }
  return out.replace(/,(\s*[}\]])/g, "$1");
}

/**
 * An import map for `tsconfig.json`'s `compilerOptions.paths` (`"@/*": ["./src/*"]`), which
 * Deno does not read itself; the first target of each pattern wins, as TypeScript tries them
 * in order.
 *
 * @param tsconfigDir The folder of tsconfig.json.
 * @param text Its text (JSONC).
 * @returns The import map, or null without paths.
 *
 * @example Usage
 * ```ts
 * import { tsconfigImportMap } from "./tsconfig_paths.ts";
 * import assert from "node:assert/strict";
 *
 * const map = tsconfigImportMap("/p", '{"compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["./src/*"]}}}');
 * assert.deepEqual(map, { imports: { "@/": "file:///p/src/" } });
 * ```
 */
export function tsconfigImportMap(
  tsconfigDir: string,
  text: string,
): { imports: Record<string, string> } | null {
  let options: { baseUrl?: string; paths?: Record<string, string[]> };
  try {
    options = JSON.parse(stripJsonComments(text)).compilerOptions ?? {};
  } catch {
    return null;
  }
  const base = join(tsconfigDir, options.baseUrl ?? ".");
  const imports: Record<string, string> = {};
  for (const [pattern, targets] of Object.entries(options.paths ?? {})) {
    const target = Array.isArray(targets) ? targets[0] : undefined;
    if (typeof target !== "string") continue;
    if (pattern.endsWith("/*") && target.endsWith("/*")) {
      imports[pattern.slice(0, -1)] = `file://${join(base, target.slice(0, -2))}/`;
    } else if (!pattern.includes("*") && !target.includes("*")) {
      imports[pattern] = `file://${join(base, target)}`;
    }
  }
  return Object.keys(imports).length > 0 ? { imports } : null;
}
