/**
 * Renders a Vega-Lite specification to an SVG string when the report is written (no browser, no
 * CDN at view time): Vega-Lite compiles it to Vega, a headless Vega view draws it.
 *
 * @module
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

export type { TopLevelSpec };

/** Fonts the charts ask for: the system's, so the file needs nothing from the network. */
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/** The look shared by every chart. */
const CONFIG = {
  font: FONT,
  background: "white",
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 220 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  title: { fontSize: 14, anchor: "start" as const },
  view: { stroke: null },
};

/**
 * Renders a Vega-Lite specification to SVG markup. Vega escapes every text it draws, so names in
 * the data show as text.
 *
 * @param spec The specification (data inline).
 * @returns The `<svg>` element's markup.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vegaSpec = compile({ ...spec, config: { ...CONFIG, ...spec.config } } as TopLevelSpec).spec;
  const view = new View(parse(vegaSpec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
