/**
 * Screenshots the quality-versus-cost picture of a `report.html` (a benchmark compared with its
 * baseline) for the README: the picture's figure is cut out of the report into a page of its own,
 * with the report's styles, and rendered in headless Chromium.
 * `deno run --allow-all tools/quality_screenshot.ts reports/<id>/report.html docs/quality_vs_cost.png`.
 */
import { checkHtmlInChromium } from "./html_check.ts";

const [report, png = "docs/quality_vs_cost.png"] = Deno.args;
if (report === undefined) throw new Error("give the report.html to cut the picture from");
const html = await Deno.readTextFile(report);
const figure = /<h2>Quality versus cost<\/h2><figure>[\s\S]*?<\/figure>/.exec(html)?.[0];
if (figure === undefined) throw new Error(`${report} has no quality-versus-cost picture`);
const head = /<head>[\s\S]*?<\/head>/.exec(html)?.[0] ?? "";
const page = `${await Deno.makeTempDir()}/quality.html`;
await Deno.writeTextFile(
  page,
  `<!doctype html>\n<html lang="en">${head}<body><main>${figure}</main></body></html>\n`,
);
const check = await checkHtmlInChromium(page, png, { width: 760, height: 760 });
if (check.consoleMessages.length > 0) throw new Error(check.consoleMessages.join("\n"));
console.log(`${png}: ${check.screenshotBytes} bytes`);
