import { SVG_FONT_FAMILY } from './fonts.js';

/**
 * Rasterises an SVG document to PNG bytes with resvg (a maintained renderer shipped as prebuilt
 * binaries inside its npm packages: no browser, no network). Text is drawn with the system's
 * fonts; the report's SVGs ask for {@link SVG_FONT_FAMILY}. The renderer is loaded on first use,
 * so commands that draw nothing never load its native binary.
 *
 * @example
 * const png = await svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
 */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  if (!/^\s*<svg[\s>]/.test(svg))
    throw new TypeError('svgToPng: expected an SVG document starting with <svg');
  const { Resvg } = await import('@resvg/resvg-js');
  const renderer = new Resvg(svg, {
    font: {
      loadSystemFonts: true,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
    background: 'white',
  });
  return new Uint8Array(renderer.render().asPng());
}
