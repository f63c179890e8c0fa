/**
 * Writes the demo report and its screenshot for docs/compare.md:
 * `deno run --allow-all tools/report_screenshot.ts docs/report.png`.
 */
import { checkHtmlInChromium } from "./html_check.ts";
import { demoReportHtml } from "../tests/support/demo_report.ts";

const png = Deno.args[0] ?? "docs/report.png";
const html = `${await Deno.makeTempDir()}/report.html`;
await Deno.writeTextFile(html, await demoReportHtml());
const check = await checkHtmlInChromium(html, png, { width: 1000, height: 3000 });
if (check.consoleMessages.length > 0) throw new Error(check.consoleMessages.join("\n"));
console.log(`${png}: ${check.screenshotBytes} bytes`);
