/**
 * Opens an HTML file in headless Chromium (Debian's `chromium`), takes a screenshot and collects
 * the console: the check behind `report.html` ("renders in a real browser, no console errors").
 *
 * @module
 */

/** What Chromium did with the page. */
export interface HtmlCheck {
  /** Console messages the page produced (a static report produces none). */
  consoleMessages: string[];
  /** Bytes of the screenshot written. */
  screenshotBytes: number;
}

/** The flags of a quiet, offline, throwaway headless Chromium. */
function chromiumFlags(userDataDir: string): string[] {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    `--user-data-dir=${userDataDir}`,
    "--enable-logging=stderr",
    "--v=0",
  ];
}

/**
 * Why Chromium cannot run here, or null when it can.
 *
 * @param command The browser's command; default `chromium`.
 * @returns A sentence to print when skipping, or null.
 *
 * @example Usage
 * ```ts ignore
 * import { chromiumMissing } from "./html_check.ts";
 *
 * console.log(await chromiumMissing() ?? "chromium is installed");
 * ```
 */
export async function chromiumMissing(command = "chromium"): Promise<string | null> {
  try {
    const { success } = await new Deno.Command(command, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .output();
    return success ? null : `${command} --version failed`;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return `${command} is not installed (Debian: apt-get install -y chromium)`;
    }
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      return `not allowed to run ${command} (--allow-run=${command})`;
    }
    throw error;
  }
}

/**
 * Renders an HTML file in headless Chromium, writes a PNG screenshot and returns the page's
 * console messages (Chromium logs each as an `INFO:CONSOLE` line on standard error).
 *
 * @param htmlPath The HTML file.
 * @param pngPath Where the screenshot goes.
 * @param size The window, in CSS pixels.
 * @returns The console messages and the screenshot's size.
 * @throws {Error} When Chromium fails or does not finish within a minute.
 *
 * @example Usage
 * ```ts ignore
 * import { checkHtmlInChromium } from "./html_check.ts";
 *
 * const check = await checkHtmlInChromium("report.html", "report.png", { width: 1000, height: 2400 });
 * if (check.consoleMessages.length > 0) throw new Error(check.consoleMessages.join("\n"));
 * ```
 */
export async function checkHtmlInChromium(
  htmlPath: string,
  pngPath: string,
  size: { width: number; height: number },
  command = "chromium",
): Promise<HtmlCheck> {
  const userDataDir = await Deno.makeTempDir({ prefix: "graphmeter-chromium-" });
  try {
    const absolute = await Deno.realPath(htmlPath);
    const output = await new Deno.Command(command, {
      args: [
        ...chromiumFlags(userDataDir),
        `--screenshot=${pngPath}`,
        `--window-size=${size.width},${size.height}`,
        `file://${absolute}`,
      ],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    if (!output.success) {
      throw new Error(`${command} failed (${output.code}): ${stderr.slice(-500)}`);
    }
    const consoleMessages = stderr.split("\n").filter((line) => line.includes(":CONSOLE"));
    return { consoleMessages, screenshotBytes: (await Deno.stat(pngPath)).size };
  } finally {
    await Deno.remove(userDataDir, { recursive: true }).catch(() => {});
  }
}
