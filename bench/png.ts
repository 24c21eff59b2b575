/**
 * A tiny PNG writer (RGB, 8 bits, zlib from Node) and a horizontal bar chart drawn with rectangles and a 5×7
 * bitmap font, so the benchmark needs no image library.
 */
import { deflateSync } from 'zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export type Rgb = [number, number, number];

export class Canvas {
  readonly pixels: Buffer;
  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    this.pixels = Buffer.alloc(width * height * 3);
    this.rect(0, 0, width, height, background);
  }

  rect(x: number, y: number, w: number, h: number, color: Rgb): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let yy = y0; yy < y1; yy++) {
      for (let xx = x0; xx < x1; xx++) {
        const i = (yy * this.width + xx) * 3;
        this.pixels[i] = color[0];
        this.pixels[i + 1] = color[1];
        this.pixels[i + 2] = color[2];
      }
    }
  }

  /** Text in the 5×7 font, upper-cased; `scale` pixels per font dot. Returns the width drawn. */
  text(x: number, y: number, value: string, color: Rgb, scale = 2): number {
    let cx = x;
    for (const ch of value.toUpperCase()) {
      const glyph = FONT[ch] ?? FONT['?'];
      glyph.forEach((row, r) => {
        for (let c = 0; c < 5; c++) if (row & (1 << (4 - c))) this.rect(cx + c * scale, y + r * scale, scale, scale, color);
      });
      cx += 6 * scale;
    }
    return cx - x;
  }

  png(): Buffer {
    const raw = Buffer.alloc((this.width * 3 + 1) * this.height);
    for (let y = 0; y < this.height; y++) {
      raw[y * (this.width * 3 + 1)] = 0; // filter: none
      this.pixels.copy(raw, y * (this.width * 3 + 1) + 1, y * this.width * 3, (y + 1) * this.width * 3);
    }
    const header = Buffer.alloc(13);
    header.writeUInt32BE(this.width, 0);
    header.writeUInt32BE(this.height, 4);
    header[8] = 8; // bit depth
    header[9] = 2; // colour type: RGB
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(raw, { level: 9 })),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }
}

export const textWidth = (value: string, scale = 2) => value.length * 6 * scale;

export interface Bar {
  label: string;
  value: number;
  color: Rgb;
  /** Printed after the bar (default: the value). */
  note?: string;
}

export interface BarGroup {
  title: string;
  bars: Bar[];
}

/** Horizontal bars, one group per case, each group scaled to its own longest bar (cases differ by 10×). */
export function barChart(title: string, groups: BarGroup[], legend: { label: string; color: Rgb }[]): Buffer {
  const scale = 2;
  const lineH = 9 * scale;
  const barH = 14;
  const labelW = Math.max(...groups.flatMap((g) => g.bars.map((b) => textWidth(b.label, scale)))) + 16;
  const width = 960;
  const plotW = width - labelW - 230;
  let height = 20 + lineH * 2 + 10;
  for (const g of groups) height += lineH + g.bars.length * (barH + 6) + 14;
  const canvas = new Canvas(width, height);
  const ink: Rgb = [30, 30, 30];
  let y = 14;
  canvas.text(14, y, title, ink, scale);
  y += lineH + 6;
  let lx = 14;
  for (const item of legend) {
    canvas.rect(lx, y, 14, 14, item.color);
    lx += 20 + canvas.text(lx + 20, y, item.label, ink, scale) + 20;
  }
  y += lineH + 10;
  for (const group of groups) {
    canvas.text(14, y, group.title, ink, scale);
    y += lineH;
    const max = Math.max(...group.bars.map((b) => b.value), 1e-9);
    for (const bar of group.bars) {
      canvas.text(14 + labelW - 8 - textWidth(bar.label, scale), y, bar.label, [90, 90, 90], scale);
      const w = Math.max(2, (bar.value / max) * plotW);
      canvas.rect(labelW + 14, y - 1, w, barH, bar.color);
      canvas.text(labelW + 14 + w + 6, y, bar.note ?? String(bar.value), ink, scale);
      y += barH + 6;
    }
    canvas.rect(14, y + 4, width - 28, 1, [220, 220, 220]);
    y += 14;
  }
  return canvas.png();
}

/* 5×7 glyphs, one number per row, bit 4 = leftmost column. */
const FONT: Record<string, number[]> = {
  ' ': [0, 0, 0, 0, 0, 0, 0],
  '0': [14, 17, 19, 21, 25, 17, 14],
  '1': [4, 12, 4, 4, 4, 4, 14],
  '2': [14, 17, 1, 2, 4, 8, 31],
  '3': [31, 2, 4, 2, 1, 17, 14],
  '4': [2, 6, 10, 18, 31, 2, 2],
  '5': [31, 16, 30, 1, 1, 17, 14],
  '6': [6, 8, 16, 30, 17, 17, 14],
  '7': [31, 1, 2, 4, 8, 8, 8],
  '8': [14, 17, 17, 14, 17, 17, 14],
  '9': [14, 17, 17, 15, 1, 2, 12],
  A: [14, 17, 17, 31, 17, 17, 17],
  B: [30, 17, 17, 30, 17, 17, 30],
  C: [14, 17, 16, 16, 16, 17, 14],
  D: [28, 18, 17, 17, 17, 18, 28],
  E: [31, 16, 16, 30, 16, 16, 31],
  F: [31, 16, 16, 30, 16, 16, 16],
  G: [14, 17, 16, 23, 17, 17, 15],
  H: [17, 17, 17, 31, 17, 17, 17],
  I: [14, 4, 4, 4, 4, 4, 14],
  J: [7, 2, 2, 2, 2, 18, 12],
  K: [17, 18, 20, 24, 20, 18, 17],
  L: [16, 16, 16, 16, 16, 16, 31],
  M: [17, 27, 21, 21, 17, 17, 17],
  N: [17, 17, 25, 21, 19, 17, 17],
  O: [14, 17, 17, 17, 17, 17, 14],
  P: [30, 17, 17, 30, 16, 16, 16],
  Q: [14, 17, 17, 17, 21, 18, 13],
  R: [30, 17, 17, 30, 20, 18, 17],
  S: [15, 16, 16, 14, 1, 1, 30],
  T: [31, 4, 4, 4, 4, 4, 4],
  U: [17, 17, 17, 17, 17, 17, 14],
  V: [17, 17, 17, 17, 17, 10, 4],
  W: [17, 17, 17, 21, 21, 21, 10],
  X: [17, 17, 10, 4, 10, 17, 17],
  Y: [17, 17, 10, 4, 4, 4, 4],
  Z: [31, 1, 2, 4, 8, 16, 31],
  '.': [0, 0, 0, 0, 0, 12, 12],
  ',': [0, 0, 0, 0, 12, 4, 8],
  ':': [0, 12, 12, 0, 12, 12, 0],
  '-': [0, 0, 0, 31, 0, 0, 0],
  '/': [1, 1, 2, 4, 8, 16, 16],
  '(': [2, 4, 8, 8, 8, 4, 2],
  ')': [8, 4, 2, 2, 2, 4, 8],
  '×': [0, 17, 10, 4, 10, 17, 0],
  '%': [24, 25, 2, 4, 8, 19, 3],
  '=': [0, 0, 31, 0, 31, 0, 0],
  '+': [0, 4, 4, 31, 4, 4, 0],
  '<': [2, 4, 8, 16, 8, 4, 2],
  '>': [8, 4, 2, 1, 2, 4, 8],
  '@': [14, 17, 1, 13, 21, 21, 14],
  '?': [14, 17, 1, 2, 4, 0, 4],
  _: [0, 0, 0, 0, 0, 0, 31],
};
