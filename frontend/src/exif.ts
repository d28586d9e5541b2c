//! Reads the GPS position from a photo's EXIF data (JPEG APP1, PNG eXIf, WebP EXIF), in the browser,
//! so the pin can be placed before the photo is sent. The server reads it again when no position is given.

/** A WGS84 position. */
export interface LatLon {
  lat: number;
  lon: number;
}

const TAG_GPS_IFD = 0x8825;
const GPS_LAT_REF = 1;
const GPS_LAT = 2;
const GPS_LON_REF = 3;
const GPS_LON = 4;

/** Bytes of a file worth reading for EXIF: it sits near the start of every format we read. */
export const EXIF_SCAN_BYTES = 512 * 1024;

/** The GPS position in the photo's EXIF data, or null when it has none (or it cannot be read). */
export function gpsFromImage(buffer: ArrayBuffer): LatLon | null {
  try {
    const tiff = findTiff(new DataView(buffer));
    return tiff ? gpsFromTiff(tiff) : null;
  } catch {
    return null;
  }
}

/** Reads the first bytes of a file and returns its EXIF GPS position, if any. */
export async function gpsFromFile(file: Blob): Promise<LatLon | null> {
  return gpsFromImage(await file.slice(0, EXIF_SCAN_BYTES).arrayBuffer());
}

/** The TIFF structure holding the EXIF data of a JPEG, PNG or WebP file. */
function findTiff(view: DataView): DataView | null {
  if (view.byteLength >= 4 && view.getUint16(0) === 0xffd8) return tiffInJpeg(view);
  if (view.byteLength >= 8 && view.getUint32(0) === 0x89504e47 && view.getUint32(4) === 0x0d0a1a0a) {
    return tiffInPng(view);
  }
  if (view.byteLength >= 12 && ascii(view, 0, 4) === 'RIFF' && ascii(view, 8, 4) === 'WEBP') {
    return tiffInWebp(view);
  }
  return null;
}

function tiffInJpeg(view: DataView): DataView | null {
  let pos = 2;
  while (pos + 4 <= view.byteLength) {
    if (view.getUint8(pos) !== 0xff) return null;
    const marker = view.getUint8(pos + 1);
    if (marker === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return null; // start of scan / end of image: no EXIF before the pixels
    const length = view.getUint16(pos + 2);
    if (length < 2) return null;
    const start = pos + 4;
    const end = Math.min(pos + 2 + length, view.byteLength);
    if (marker === 0xe1 && end - start > 6 && ascii(view, start, 6) === 'Exif\0\0') {
      return slice(view, start + 6, end);
    }
    pos += 2 + length;
  }
  return null;
}

function tiffInPng(view: DataView): DataView | null {
  let pos = 8;
  while (pos + 12 <= view.byteLength) {
    const length = view.getUint32(pos);
    const type = ascii(view, pos + 4, 4);
    if (type === 'eXIf') return slice(view, pos + 8, Math.min(pos + 8 + length, view.byteLength));
    if (type === 'IDAT' || type === 'IEND') return null;
    pos += 12 + length;
  }
  return null;
}

function tiffInWebp(view: DataView): DataView | null {
  let pos = 12;
  while (pos + 8 <= view.byteLength) {
    const type = ascii(view, pos, 4);
    const length = view.getUint32(pos + 4, true);
    if (type === 'EXIF') {
      let start = pos + 8;
      // Some writers keep the JPEG-style "Exif\0\0" prefix.
      if (start + 6 <= view.byteLength && ascii(view, start, 6) === 'Exif\0\0') start += 6;
      return slice(view, start, Math.min(pos + 8 + length, view.byteLength));
    }
    pos += 8 + length + (length % 2);
  }
  return null;
}

/** The GPS position in a TIFF (EXIF) structure. */
export function gpsFromTiff(tiff: DataView): LatLon | null {
  if (tiff.byteLength < 8) return null;
  const order = ascii(tiff, 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  if (tiff.getUint16(2, le) !== 42) return null;

  const ifd0 = readIfd(tiff, tiff.getUint32(4, le), le);
  const gpsPointer = ifd0.get(TAG_GPS_IFD);
  if (!gpsPointer) return null;
  const gpsOffset = longValue(tiff, gpsPointer, le);
  if (gpsOffset === null) return null;
  const gps = readIfd(tiff, gpsOffset, le);

  const latRef = asciiValue(tiff, gps.get(GPS_LAT_REF), le);
  const lonRef = asciiValue(tiff, gps.get(GPS_LON_REF), le);
  const lat = degrees(tiff, gps.get(GPS_LAT), le);
  const lon = degrees(tiff, gps.get(GPS_LON), le);
  if (lat === null || lon === null) return null;

  const signedLat = latRef?.startsWith('S') ? -lat : lat;
  const signedLon = lonRef?.startsWith('W') ? -lon : lon;
  if (Math.abs(signedLat) > 90 || Math.abs(signedLon) > 180) return null;
  // 0,0 is what many cameras write when they had no fix.
  if (signedLat === 0 && signedLon === 0) return null;
  return { lat: signedLat, lon: signedLon };
}

/** One IFD entry: where its 12 bytes start. */
type Entries = Map<number, number>;

function readIfd(tiff: DataView, offset: number, le: boolean): Entries {
  const entries: Entries = new Map();
  if (offset < 8 || offset + 2 > tiff.byteLength) return entries;
  const count = tiff.getUint16(offset, le);
  for (let i = 0; i < count; i++) {
    const entry = offset + 2 + i * 12;
    if (entry + 12 > tiff.byteLength) break;
    entries.set(tiff.getUint16(entry, le), entry);
  }
  return entries;
}

const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };

/** Where an entry's value starts: inline when it fits in 4 bytes, else at its offset. */
function valueOffset(tiff: DataView, entry: number, le: boolean): { type: number; count: number; at: number } | null {
  const type = tiff.getUint16(entry + 2, le);
  const count = tiff.getUint32(entry + 4, le);
  const size = TYPE_SIZES[type];
  if (!size) return null;
  const bytes = size * count;
  const at = bytes <= 4 ? entry + 8 : tiff.getUint32(entry + 8, le);
  if (at + bytes > tiff.byteLength) return null;
  return { type, count, at };
}

function longValue(tiff: DataView, entry: number, le: boolean): number | null {
  const v = valueOffset(tiff, entry, le);
  if (!v) return null;
  if (v.type === 4 || v.type === 13) return tiff.getUint32(v.at, le);
  if (v.type === 3) return tiff.getUint16(v.at, le);
  return null;
}

function asciiValue(tiff: DataView, entry: number | undefined, le: boolean): string | null {
  if (entry === undefined) return null;
  const v = valueOffset(tiff, entry, le);
  if (!v || v.type !== 2) return null;
  return ascii(tiff, v.at, v.count).replace(/\0+$/, '');
}

/** Degrees from three (S)RATIONALs: degrees, minutes, seconds. */
function degrees(tiff: DataView, entry: number | undefined, le: boolean): number | null {
  if (entry === undefined) return null;
  const v = valueOffset(tiff, entry, le);
  if (!v || (v.type !== 5 && v.type !== 10) || v.count < 1) return null;
  const parts: number[] = [];
  for (let i = 0; i < Math.min(v.count, 3); i++) {
    const at = v.at + i * 8;
    const num = v.type === 5 ? tiff.getUint32(at, le) : tiff.getInt32(at, le);
    const den = v.type === 5 ? tiff.getUint32(at + 4, le) : tiff.getInt32(at + 4, le);
    if (den === 0) return null;
    parts.push(num / den);
  }
  const [d, m = 0, s = 0] = parts;
  const value = d + m / 60 + s / 3600;
  return Number.isFinite(value) ? value : null;
}

function ascii(view: DataView, start: number, length: number): string {
  let out = '';
  for (let i = start; i < start + length && i < view.byteLength; i++) out += String.fromCharCode(view.getUint8(i));
  return out;
}

function slice(view: DataView, start: number, end: number): DataView {
  return new DataView(view.buffer, view.byteOffset + start, Math.max(0, end - start));
}
