import { inflateRawSync } from 'node:zlib';
import { FileStorageError } from './errors.js';

/** How much a zip may unpack to: entries listed (all of them) and bytes inflated (the entries read). */
export interface ZipLimits {
  maxEntries: number;
  maxInflatedBytes: number;
}

/** A zip that is refused before or while it is unpacked (`too_large` past a limit, `invalid_request` when unreadable). */
export class ZipRefusedError extends FileStorageError {}

export interface ZipEntry {
  name: string;
  bytes: Buffer;
}

interface Listed {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const STORED = 0;
const DEFLATED = 8;

function malformed(why: string): ZipRefusedError {
  return new ZipRefusedError('invalid_request', `The uploaded file is not a valid zip archive: ${why}`);
}

/**
 * The wanted entries of a zip held in memory, never inflating more than `limits` allow. fflate's
 * `unzipSync` inflates every entry to its end whatever size it declares (a 1 MB zip of zeros took 15 s
 * of CPU per GB), so the archive is read here: the central directory is walked first and the entry
 * count and the declared sizes of the wanted entries are checked before anything is inflated; then each
 * entry is inflated by zlib with its declared size as the most it may produce, which stops a lying
 * entry after that many bytes. Inflated bytes therefore never exceed `maxInflatedBytes` in all.
 * ZIP64 archives are refused: within these limits no flow archive needs them.
 */
export function readZipEntries(zip: Buffer, limits: ZipLimits, wanted: (name: string) => boolean): ZipEntry[] {
  const listed = listEntries(zip, limits.maxEntries).filter((entry) => wanted(entry.name));
  let declared = 0;
  for (const entry of listed) {
    declared += entry.size;
    if (declared > limits.maxInflatedBytes) throw tooLarge(limits.maxInflatedBytes);
  }
  return listed.map((entry) => ({ name: entry.name, bytes: inflateEntry(zip, entry) }));
}

function tooLarge(maxBytes: number): ZipRefusedError {
  return new ZipRefusedError('too_large', `Zip file unpacks to more than the maximum of ${maxBytes / 1024 / 1024} MB (WEFT_MAX_UNZIPPED_SIZE_MB)`);
}

function endOfCentralDirectory(zip: Buffer): number {
  const lowest = Math.max(0, zip.length - EOCD_SIZE - MAX_COMMENT);
  for (let at = zip.length - EOCD_SIZE; at >= lowest; at--) {
    if (zip.readUInt32LE(at) === EOCD_SIGNATURE) return at;
  }
  throw malformed('no end of central directory record');
}

function listEntries(zip: Buffer, maxEntries: number): Listed[] {
  const eocd = endOfCentralDirectory(zip);
  const count = zip.readUInt16LE(eocd + 10);
  const offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) throw malformed('ZIP64 archives are not supported');
  // The declared count is checked first (a cheap refusal), the entries actually walked below as well.
  if (count > maxEntries) throw tooManyEntries(maxEntries);
  const entries: Listed[] = [];
  let at = offset;
  while (entries.length < count) {
    if (at + 46 > eocd || zip.readUInt32LE(at) !== CENTRAL_SIGNATURE) throw malformed('central directory entry out of place');
    const nameLength = zip.readUInt16LE(at + 28);
    const end = at + 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    if (end > eocd) throw malformed('central directory entry out of bounds');
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      flags: zip.readUInt16LE(at + 8),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
    });
    at = end;
  }
  return entries;
}

function tooManyEntries(maxEntries: number): ZipRefusedError {
  return new ZipRefusedError('too_large', `Zip file has more than the maximum of ${maxEntries} entries (WEFT_MAX_ZIP_ENTRIES)`);
}

function inflateEntry(zip: Buffer, entry: Listed): Buffer {
  if (entry.flags & 1) throw new ZipRefusedError('invalid_request', `${entry.name} is encrypted`);
  const local = entry.localOffset;
  if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL_SIGNATURE) throw malformed(`local header of ${entry.name} out of place`);
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  if (start + entry.compressedSize > zip.length) throw malformed(`${entry.name} out of bounds`);
  const data = zip.subarray(start, start + entry.compressedSize);
  let bytes: Buffer;
  if (entry.method === STORED) bytes = data;
  else if (entry.method === DEFLATED) {
    try {
      // zlib stops as soon as the output passes maxOutputLength: a lying entry costs its declared size, no more.
      bytes = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw malformed(`${entry.name} inflates to more than the ${entry.size} bytes it declares`);
      throw malformed(`${entry.name} does not inflate`);
    }
  } else throw new ZipRefusedError('invalid_request', `${entry.name} uses an unsupported compression method (${entry.method})`);
  if (bytes.length !== entry.size) throw malformed(`${entry.name} is not the size it declares`);
  return bytes;
}
