/**
 * The propagation graph as a PNG, for channels that cannot reach the page: the same SVG the page draws,
 * rasterised on the server by resvg (@resvg/resvg-js, prebuilt per platform, no browser). Text uses the
 * system's fonts (DejaVu Sans on Debian).
 */
import { Resvg } from '@resvg/resvg-js';

export const DEFAULTS = { maxWidth: 1600, font: 'DejaVu Sans' };

/** Rasterises a standalone `<svg>` on white, at most `maxWidth` pixels wide. */
export function svgToPng(svg: string, opts: { maxWidth?: number } = {}): Buffer {
  const width = Number(/width="(\d+(?:\.\d+)?)"/.exec(svg)?.[1] ?? 800);
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'width', value: Math.min(opts.maxWidth ?? DEFAULTS.maxWidth, Math.max(1, Math.round(width))) },
    font: { loadSystemFonts: true, defaultFontFamily: DEFAULTS.font, sansSerifFamily: DEFAULTS.font },
  });
  return resvg.render().asPng();
}
