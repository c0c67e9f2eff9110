// A PNG decoder for screenshots (8-bit RGB or RGBA, not interlaced: what
// Chromium writes), so that a test can look at pixels without a library.
'use strict';

const zlib = require('zlib');

function paeth(a, b, c) {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

// Undoes one row's filter in place; prev is the row above (or zeros).
function unfilter(type, row, prev, bpp) {
  for (let i = 0; i < row.length; i++) {
    const a = i >= bpp ? row[i - bpp] : 0;
    const b = prev[i];
    const c = i >= bpp ? prev[i - bpp] : 0;
    const add = [0, a, b, (a + b) >> 1, paeth(a, b, c)][type];
    if (add === undefined) throw new Error(`png: filter ${type}`);
    row[i] = (row[i] + add) & 0xff;
  }
}

// { width, height, pixel(x, y) -> [r, g, b] }
function decodePng(buf) {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('png: signature');
  let pos = 8;
  let width = 0;
  let height = 0;
  let bpp = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, color, , , interlace] = data.subarray(8, 13);
      if (depth !== 8 || (color !== 2 && color !== 6) || interlace !== 0) {
        throw new Error(`png: depth ${depth} color ${color} interlace ${interlace}`);
      }
      bpp = color === 6 ? 4 : 3;
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    pos += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const pixels = Buffer.alloc(stride * height);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const row = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    unfilter(raw[y * (stride + 1)], row, prev, bpp);
    row.copy(pixels, y * stride);
    prev = row;
  }
  return {
    width,
    height,
    pixel: (x, y) => [...pixels.subarray(y * stride + x * bpp, y * stride + x * bpp + 3)],
  };
}

module.exports = { decodePng };
