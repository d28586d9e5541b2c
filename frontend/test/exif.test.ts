/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gpsFromImage, gpsFromTiff } from '../src/exif';

const photos = fileURLToPath(new URL('../../fixtures/photos/', import.meta.url));
function fixture(name: string): ArrayBuffer {
  const b = readFileSync(photos + name);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
}

/** A TIFF with only a GPS IFD: latitude/longitude as degrees, minutes, seconds rationals. */
function gpsTiff(opts: { le: boolean; latRef: string; lat: number[]; lonRef: string; lon: number[] }): Uint8Array {
  const buf = new ArrayBuffer(200);
  const v = new DataView(buf);
  const { le } = opts;
  const bytes = new Uint8Array(buf);
  bytes.set(le ? [0x49, 0x49] : [0x4d, 0x4d], 0);
  v.setUint16(2, 42, le);
  v.setUint32(4, 8, le);
  // IFD0 at 8: one entry, GPS pointer -> 26
  v.setUint16(8, 1, le);
  v.setUint16(10, 0x8825, le);
  v.setUint16(12, 4, le);
  v.setUint32(14, 1, le);
  v.setUint32(18, 26, le);
  v.setUint32(22, 0, le);
  // GPS IFD at 26: 4 entries (2 + 4*12 + 4 = 54 bytes) -> data at 80
  v.setUint16(26, 4, le);
  const entry = (i: number, tag: number, type: number, count: number, value: (at: number) => void) => {
    const at = 28 + i * 12;
    v.setUint16(at, tag, le);
    v.setUint16(at + 2, type, le);
    v.setUint32(at + 4, count, le);
    value(at + 8);
  };
  const rationals = (offset: number, parts: number[]) => {
    parts.forEach((p, i) => {
      v.setUint32(offset + i * 8, Math.round(p * 10000), le);
      v.setUint32(offset + i * 8 + 4, 10000, le);
    });
  };
  entry(0, 1, 2, 2, (at) => bytes.set([opts.latRef.charCodeAt(0), 0], at));
  entry(1, 2, 5, 3, (at) => v.setUint32(at, 80, le));
  entry(2, 3, 2, 2, (at) => bytes.set([opts.lonRef.charCodeAt(0), 0], at));
  entry(3, 4, 5, 3, (at) => v.setUint32(at, 104, le));
  rationals(80, opts.lat);
  rationals(104, opts.lon);
  return bytes;
}

describe('EXIF GPS', () => {
  it('reads the position of the fixture photo (46.07 N, 23.583 E)', () => {
    const gps = gpsFromImage(fixture('pothole-gps.jpg'));
    expect(gps).not.toBeNull();
    expect(gps!.lat).toBeCloseTo(46.07, 6);
    expect(gps!.lon).toBeCloseTo(23.583, 6);
  });

  it('finds nothing in photos without GPS or in files that are not JPEG/PNG/WebP', () => {
    for (const name of ['rotated-exif6.jpg', 'plain.png', 'photo.webp', 'fake.heic', 'not-an-image.jpg']) {
      expect(gpsFromImage(fixture(name)), name).toBeNull();
    }
  });

  it('reads big-endian TIFF and southern/western references', () => {
    const tiff = gpsTiff({ le: false, latRef: 'S', lat: [33, 52, 4.2], lonRef: 'W', lon: [70, 30, 0] });
    const gps = gpsFromTiff(new DataView(tiff.buffer));
    expect(gps!.lat).toBeCloseTo(-(33 + 52 / 60 + 4.2 / 3600), 6);
    expect(gps!.lon).toBeCloseTo(-70.5, 6);
  });

  it('reads EXIF from a PNG eXIf chunk and a WebP EXIF chunk', () => {
    const tiff = gpsTiff({ le: true, latRef: 'N', lat: [46, 4, 12], lonRef: 'E', lon: [23, 34, 58.8] });
    const png = new Uint8Array(8 + 12 + tiff.length + 12);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0);
    const pv = new DataView(png.buffer);
    pv.setUint32(8, tiff.length);
    png.set([...'eXIf'].map((c) => c.charCodeAt(0)), 12);
    png.set(tiff, 16);
    const fromPng = gpsFromImage(png.buffer);
    expect(fromPng!.lat).toBeCloseTo(46.07, 6);
    expect(fromPng!.lon).toBeCloseTo(23.583, 6);

    const webp = new Uint8Array(12 + 8 + 6 + tiff.length);
    webp.set([...'RIFF'].map((c) => c.charCodeAt(0)), 0);
    webp.set([...'WEBP'].map((c) => c.charCodeAt(0)), 8);
    webp.set([...'EXIF'].map((c) => c.charCodeAt(0)), 12);
    new DataView(webp.buffer).setUint32(16, 6 + tiff.length, true);
    webp.set([...'Exif\0\0'].map((c) => c.charCodeAt(0)), 20);
    webp.set(tiff, 26);
    expect(gpsFromImage(webp.buffer)!.lat).toBeCloseTo(46.07, 6);
  });

  it('ignores 0,0 (no fix) and survives truncated or garbled data', () => {
    const zero = gpsTiff({ le: true, latRef: 'N', lat: [0, 0, 0], lonRef: 'E', lon: [0, 0, 0] });
    expect(gpsFromTiff(new DataView(zero.buffer))).toBeNull();
    const jpeg = new Uint8Array(fixture('pothole-gps.jpg'));
    for (const cut of [3, 20, 40, 100, 200, 300]) {
      expect(() => gpsFromImage(jpeg.slice(0, cut).buffer)).not.toThrow();
    }
    const garbled = jpeg.slice();
    for (let i = 30; i < 300; i += 7) garbled[i] ^= 0xff;
    expect(() => gpsFromImage(garbled.buffer)).not.toThrow();
  });
});
