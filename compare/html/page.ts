/**
 * The one shell of every HTML page graphmeter writes (`report.html`, `compare --html`,
 * `history --html`): a self-contained document that works offline, with one
 * Content-Security-Policy that forbids scripts and remote loads outright, one style sheet, and
 * its title and heading escaped.
 *
 * @module
 */

const HTML_SPECIAL: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for HTML content and attribute values.
 *
 * @param text The raw text.
 * @returns The text with `& < > " '` as entities.
 *
 * @example Usage
 * ```ts
 * import { escapeHtml } from "./page.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(escapeHtml("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_SPECIAL[char]);
}

/**
 * The Content-Security-Policy of every page: no script, no remote anything, only the page's own
 * styles and inline images.
 *
 * @example Usage
 * ```ts
 * import { PAGE_CSP } from "./page.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(PAGE_CSP, /^default-src 'none'/);
 * ```
 */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
  color: #1d1d1f; background: #f6f7f9; }
main { max-width: 980px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 10px; }
.meta { color: #555; margin: 0 0 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { background: white; border-radius: 8px; padding: 10px 14px; min-width: 140px;
  box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.card b { display: block; font-size: 18px; }
table { border-collapse: collapse; background: white; width: 100%; font-size: 13px; }
th, td { padding: 5px 8px; border-bottom: 1px solid #e5e5e5; text-align: right; }
th:first-child, td:first-child { text-align: left; }
table.text th, table.text td { text-align: left; }
figure { background: white; border-radius: 8px; padding: 12px; margin: 12px 0;
  box-shadow: 0 1px 2px rgba(0,0,0,.08); overflow-x: auto; }
.regressed { color: #b3261e; font-weight: 600; } .improved { color: #1e7b34; font-weight: 600; }
.warning { background: #fff4e5; border-left: 4px solid #b26a00; padding: 8px 12px; }
`;

/** What a page holds. */
export interface HtmlPage {
  /** The window's title (text, escaped here). */
  title: string;
  /** The page's heading (text, escaped here). */
  heading: string;
  /** What follows the heading: HTML whose every name is already escaped. */
  body: string;
}

/**
 * A whole HTML document in the one shell: CSP, style, title, heading, then the body.
 *
 * @param page The title, heading and body.
 * @returns The document.
 *
 * @example Usage
 * ```ts
 * import { htmlPage, PAGE_CSP } from "./page.ts";
 * import assert from "node:assert/strict";
 *
 * const html = htmlPage({ title: "t", heading: "<b>", body: "<p>hi</p>" });
 * assert.match(html, /^<!doctype html>/);
 * assert.ok(html.includes(`content="${PAGE_CSP}"`));
 * assert.match(html, /<h1>&lt;b&gt;<\/h1>\n<p>hi<\/p>/);
 * ```
 */
export function htmlPage(page: HtmlPage): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(page.heading)}</h1>
${page.body}
</main>
</body>
</html>
`;
}

/**
 * An HTML table: the header's and the cells' HTML as given (escape text first).
 *
 * @param header The header cells.
 * @param rows The rows' cells.
 * @param className A class for the table (`text`: every column left-aligned), or none.
 * @returns The table.
 *
 * @example Usage
 * ```ts
 * import { htmlTable } from "./page.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   htmlTable(["a"], [["1"]]),
 *   "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
 * );
 * ```
 */
export function htmlTable(header: string[], rows: string[][], className?: string): string {
  const head = header.map((h) => `<th>${h}</th>`).join("");
  const body = rows.map((row) => `<tr>${row.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("");
  const attribute = className === undefined ? "" : ` class="${className}"`;
  return `<table${attribute}><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
