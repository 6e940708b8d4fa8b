import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { decodePng, greyVariance } from '../../test/decode-png.js';
import { panelSvg } from './panel-svg.js';
import { heatColor, heatTile, labelTile, overlayTile, scaleTile } from './panels.js';
import { encodePng } from './png.js';
import { svgToPng } from './rasterise.js';

const labels = [0, 13, 6, 13];
const tiles = () => [
  labelTile('Input\n(labels)', labels, 2, 2, 13),
  heatTile('Agreement <7>', [0, 7, 3, 7], 2, 2, 7),
  overlayTile('RPDL\nprediction', labels, [0, 1, 1, 0], 2, 2, 13),
];

/** Dark pixels (grey < 128) of an SVG rendered straight by resvg. */
function darkPixels(svg: string): number {
  const { pixels } = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: 'white',
  }).render();
  let dark = 0;
  for (let i = 0; i < pixels.length; i += 4)
    if (pixels[i]! + pixels[i + 1]! + pixels[i + 2]! < 3 * 128) dark++;
  return dark;
}

describe('colour scales and tiles', () => {
  it('heat scale: black → red at ½ → yellow at 1, clamped', () => {
    expect(heatColor(0)).toEqual([0, 0, 0]);
    expect(heatColor(0.25)).toEqual([128, 0, 0]);
    expect(heatColor(0.5)).toEqual([255, 0, 0]);
    expect(heatColor(1)).toEqual([255, 255, 0]);
    expect(heatColor(2)).toEqual([255, 255, 0]);
    expect(heatColor(-1)).toEqual([0, 0, 0]);
  });

  it('a count tile carries one legend swatch per count, coloured like its voxels', () => {
    const tile = heatTile('t', [0, 7, 3, 7], 2, 2, 7);
    expect(tile.legend!.swatches.map((s) => s.label)).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
    ]);
    expect(tile.legend!.swatches[3]!.rgb).toEqual([...tile.rgb.subarray(6, 9)]);
    expect(heatTile('t', [0.5], 1, 1, 0.9).legend).toBeUndefined();
  });

  it('scales a tile by nearest neighbour and refuses a non-integer factor', () => {
    const tile = labelTile('t', [0, 13], 2, 1, 13);
    const big = scaleTile(tile, 2);
    expect([big.width, big.height]).toEqual([4, 2]);
    expect([...big.pixels]).toEqual([
      ...[0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255],
      ...[0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255],
    ]);
    expect(() => scaleTile(tile, 1.5)).toThrow(/scale must be a positive integer, got 1.5/);
  });
});

describe('titled panel (SVG)', () => {
  const svg = panelSvg({ title: 'Bone 1 & co', tiles: tiles(), scale: 8 });

  it('titles every tile (two-line titles as two lines), escapes text and embeds each slice', () => {
    for (const text of [
      'Bone 1 &amp; co',
      '>Input<',
      '>(labels)<',
      'Agreement &lt;7&gt;',
      '>RPDL<',
      '>prediction<',
    ])
      expect(svg).toContain(text);
    expect(svg.match(/<image /g)).toHaveLength(3);
    expect(svg).toContain('annotators who drilled the voxel');
    expect(svg).toContain('predicted drilled');
    expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('embeds each slice enlarged by the scale, as PNG with the tile’s pixels', () => {
    const first = /href="data:image\/png;base64,([^"]+)"/.exec(svg)![1]!;
    const image = decodePng(Buffer.from(first, 'base64'));
    expect([image.width, image.height, image.channels]).toEqual([16, 16, 3]);
    // Top-left voxel is label 0 (black); top-right is 13 (white).
    expect([...image.pixels.subarray(0, 3)]).toEqual([0, 0, 0]);
    expect([...image.pixels.subarray(15 * 3, 16 * 3)]).toEqual([255, 255, 255]);
  });

  it('refuses an empty panel or a bad scale', () => {
    expect(() => panelSvg({ title: 't', tiles: [], scale: 2 })).toThrow(/at least one tile/);
    expect(() => panelSvg({ title: 't', tiles: tiles(), scale: 0 })).toThrow(
      /scale must be a positive integer, got 0/,
    );
  });
});

describe('rasterising SVG', () => {
  it('writes a PNG of the SVG’s size', async () => {
    const png = await svgToPng(
      '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"><rect x="10" width="10" height="20" fill="#ff0000"/></svg>',
    );
    const image = decodePng(png);
    expect([image.width, image.height]).toEqual([30, 20]);
    const at = (x: number, y: number) => [
      ...image.pixels.subarray((y * 30 + x) * image.channels, (y * 30 + x) * image.channels + 3),
    ];
    expect(at(0, 0)).toEqual([255, 255, 255]);
    expect(at(15, 10)).toEqual([255, 0, 0]);
  });

  it('draws text (a system font is found)', () => {
    const empty = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"></svg>';
    const text =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="5" y="30" font-family="DejaVu Sans" font-size="24">Dice 0.7</text></svg>';
    expect(darkPixels(empty)).toBe(0);
    // No font means no glyphs and a white image: install fonts-dejavu-core (as .ci/run does).
    expect(darkPixels(text)).toBeGreaterThan(100);
  });

  it('rasterises the titled panel with its text, deterministically', async () => {
    const svg = panelSvg({ title: 'Bone 1', tiles: tiles(), scale: 8 });
    const png = await svgToPng(svg);
    const image = decodePng(png);
    const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!.map(Number);
    expect([image.width, image.height]).toEqual([w, h]);
    expect(greyVariance(image)).toBeGreaterThan(100);
    expect(Buffer.from(await svgToPng(svg)).equals(Buffer.from(png))).toBe(true);
    const untitled = svg.replace(/<text[^>]*>[^<]*<\/text>/g, '');
    expect(darkPixels(svg)).toBeGreaterThan(darkPixels(untitled) + 200);
  });

  it('refuses what is not an SVG document', async () => {
    await expect(svgToPng('<html></html>')).rejects.toThrow(/expected an SVG document/);
  });
});

describe('test PNG reader', () => {
  it('reads back what encodePng wrote', () => {
    const pixels = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]);
    expect(decodePng(encodePng({ width: 2, height: 2, pixels }))).toEqual({
      width: 2,
      height: 2,
      channels: 3,
      pixels,
    });
  });
});
