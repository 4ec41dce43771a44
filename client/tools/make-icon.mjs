// Draws the extension's 128x128 marketplace icon (client/media/icon.png) without any image library: shapes are
// signed-distance functions, sampled 4x4 per pixel for anti-aliasing, and the PNG is written with node:zlib.
// Run: node client/tools/make-icon.mjs   (the PNG is committed; rerun only to change the design)
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SS = 4;

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const BG_TOP = hex('#1f3b63');
const BG_BOTTOM = hex('#2f6f9f');
const WHITE = hex('#ffffff');
const AMBER = hex('#f6b93b');
const INK = hex('#1f3b63');

// Signed distances (negative inside).
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
const roundedBox = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const capsule = (x, y, ax, ay, bx, by, r) => {
  const pax = x - ax, pay = y - ay, bax = bx - ax, bay = by - ay;
  const h = Math.max(0, Math.min(1, (pax * bax + pay * bay) / (bax * bax + bay * bay)));
  return Math.hypot(pax - bax * h, pay - bay * h) - r;
};
const ring = (x, y, cx, cy, r, w) => Math.abs(circle(x, y, cx, cy, r)) - w / 2;

// One curly opening quote mark: a round body with a tail curling up and to the right.
const quoteMark = (x, y, cx, cy) => Math.min(circle(x, y, cx, cy, 6.5), capsule(x, y, cx - 4, cy - 2, cx + 3, cy - 13, 2.6));

// Layers, back to front: [distance function, colour].
const lens = { cx: 54, cy: 60, r: 29 };
const layers = [
  [(x, y) => roundedBox(x, y, 64, 64, 62, 62, 26), null /* gradient */],
  [(x, y) => circle(x, y, lens.cx, lens.cy, lens.r - 3), hex('#e8f1fa')],
  // A person inside the lens: head and shoulders, clipped to the glass.
  [(x, y) => Math.max(Math.min(circle(x, y, lens.cx, lens.cy - 8, 9.5), circle(x, y, lens.cx, lens.cy + 24, 19)), circle(x, y, lens.cx, lens.cy, lens.r - 3)), INK],
  [(x, y) => ring(x, y, lens.cx, lens.cy, lens.r, 8), WHITE],
  [(x, y) => capsule(x, y, 77, 83, 102, 108, 7), WHITE],
  [(x, y) => Math.min(quoteMark(x, y, 94, 34), quoteMark(x, y, 111, 34)), AMBER],
];

const px = Buffer.alloc(SIZE * SIZE * 4);
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const fx = x + (sx + 0.5) / SS, fy = y + (sy + 0.5) / SS;
        let c = null;
        for (const [d, colour] of layers) {
          if (d(fx, fy) <= 0) {
            if (colour) c = colour;
            else {
              const t = fy / SIZE;
              c = BG_TOP.map((v, i) => Math.round(v + (BG_BOTTOM[i] - v) * t));
            }
          }
        }
        if (c) { r += c[0]; g += c[1]; b += c[2]; a += 1; }
      }
    }
    const o = (y * SIZE + x) * 4;
    // Colour is averaged over the covered samples only, so edges fade in alpha rather than towards black.
    px[o] = a ? Math.round(r / a) : 0;
    px[o + 1] = a ? Math.round(g / a) : 0;
    px[o + 2] = a ? Math.round(b / a) : 0;
    px[o + 3] = Math.round((255 * a) / (SS * SS));
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) px.copy(raw, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = new URL('../media/icon.png', import.meta.url);
writeFileSync(out, png);
console.log(`wrote ${out.pathname} (${png.length} bytes)`);
