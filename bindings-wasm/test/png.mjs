// Shrinks a screenshot: re-encodes Chromium's 8-bit RGB(A) PNG with a
// palette of its 256 most common colours (the rest, anti-aliasing shades,
// take the nearest of those). A page of text comes out about 2.5 times
// smaller and looks the same. Any other kind of PNG is returned unchanged.

import zlib from 'node:zlib';

const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** `{width, height, channels, pixels}` of an 8-bit RGB or RGBA PNG, or null. */
function decode(png) {
  if (!png.subarray(0, 8).equals(signature)) return null;
  let width; let height; let channels = 0;
  const data = [];
  for (let at = 8; at + 8 <= png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      [width, height] = [body.readUInt32BE(0), body.readUInt32BE(4)];
      const [depth, colour, interlace] = [body[8], body[9], body[12]];
      channels = depth === 8 && interlace === 0 ? { 2: 3, 6: 4 }[colour] ?? 0 : 0;
    } else if (type === 'IDAT') {
      data.push(body);
    }
    at += 12 + length;
  }
  if (!channels) return null;
  const raw = zlib.inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let x = 0; x < stride; x += 1) {
      const a = x >= channels ? row[x - channels] : 0;
      const b = up[x];
      const c = x >= channels ? up[x - channels] : 0;
      const pa = Math.abs(b - c); const pb = Math.abs(a - c); const pc = Math.abs(a + b - 2 * c);
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      row[x] = (line[x] + [0, a, b, (a + b) >> 1, paeth][filter]) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** The PNG re-encoded with a palette (see the top of this file). */
export function paletted(png) {
  const image = decode(png);
  if (image === null) return png;
  const { width, height, channels, pixels } = image;
  const rgb = (i) => (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
  const counts = new Map();
  for (let i = 0; i < pixels.length; i += channels) counts.set(rgb(i), (counts.get(rgb(i)) ?? 0) + 1);
  const palette = [...counts.entries()].sort((p, q) => q[1] - p[1]).slice(0, 256).map(([colour]) => colour);
  const index = new Map(palette.map((colour, i) => [colour, i]));
  const nearest = (colour) => {
    let best = 0; let distance = Infinity;
    palette.forEach((other, i) => {
      const d = ((colour >> 16) - (other >> 16)) ** 2 + (((colour >> 8) & 0xff) - ((other >> 8) & 0xff)) ** 2
        + ((colour & 0xff) - (other & 0xff)) ** 2;
      if (d < distance) [best, distance] = [i, d];
    });
    index.set(colour, best);
    return best;
  };
  // filter type 0 on every row: it suits flat UI colours best
  const lines = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const colour = rgb((y * width + x) * channels);
      lines[y * (width + 1) + 1 + x] = index.get(colour) ?? nearest(colour);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 3; // indexed colour
  const plte = Buffer.alloc(palette.length * 3);
  palette.forEach((colour, i) => plte.writeUIntBE(colour, i * 3, 3));
  return Buffer.concat([
    signature, chunk('IHDR', header), chunk('PLTE', plte),
    chunk('IDAT', zlib.deflateSync(lines, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
  ]);
}
