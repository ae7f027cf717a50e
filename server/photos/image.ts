import sharp, { type Metadata } from "sharp";

/**
 * What a photo is, decided by its bytes (never by its name or a declared type), and the form we keep:
 * JPEG, upright (EXIF orientation applied), at most MAX_SIDE px, with every metadata block (EXIF
 * with its GPS position, XMP, IPTC, ICC comments) dropped by the re-encode.
 */
export type ImageKind = "jpeg" | "png" | "webp" | "heic";

export function sniffImage(bytes: Uint8Array): ImageKind | null {
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return "png";
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  if (b.length >= 12 && ascii(4, 8) === "ftyp" && ["heic", "heix", "hevc", "hevx", "mif1", "msf1"].includes(ascii(8, 12))) return "heic";
  return null;
}

export class ImageRejected extends Error {
  constructor(
    readonly reason: "not_an_image" | "unsupported_type" | "too_many_pixels" | "too_small" | "corrupt",
    message: string,
  ) {
    super(message);
    this.name = "ImageRejected";
  }
}

/** Pixels a decoder may produce: a 40-megapixel camera is fine, a decompression bomb is not. */
export const MAX_INPUT_PIXELS = 40_000_000;
// Renders are at most 1280 px, so 1600 keeps every detail they use; a 4000-px phone photo is then
// decoded at half size (JPEG shrink-on-load) and the smaller re-encode is cheaper.
const MAX_SIDE = 1600;
const MIN_SIDE = 256;
/** The pose model's input is 192 px square; 512 keeps the person's limbs sharp enough for it. */
const POSE_SIDE = 512;

export interface NormalizedPhoto {
  jpeg: Buffer;
  width: number;
  height: number;
  /** A small RGB copy for the pose model (row-major, 3 bytes per pixel). */
  pose: { rgb: Buffer; width: number; height: number };
}

export async function normalizePhoto(bytes: Uint8Array): Promise<NormalizedPhoto> {
  const kind = sniffImage(bytes);
  if (!kind) throw new ImageRejected("not_an_image", "the file is not a JPEG, PNG or WebP image");
  if (kind === "heic") throw new ImageRejected("unsupported_type", "HEIC photos cannot be read here yet: export the photo as JPEG and upload it again");
  let meta: Metadata;
  try {
    // The header alone (no pixels decoded), so a bomb is measured before anything is inflated.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new ImageRejected("corrupt", "the image could not be read");
  }
  if ((meta.width ?? 0) * (meta.height ?? 0) > MAX_INPUT_PIXELS) {
    throw new ImageRejected("too_many_pixels", `the image is ${meta.width}×${meta.height}; at most ${MAX_INPUT_PIXELS / 1e6} megapixels are accepted`);
  }
  try {
    const upright = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" }).rotate();
    // Two pipelines from the same decode settings, run side by side on libvips' threads: the kept copy,
    // and the pose model's small copy (JPEG shrink-on-load makes that one cheap even from 12 MP).
    const [{ data: jpeg, info }, { data: rgb, info: small }] = await Promise.all([
      upright
        .clone()
        .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: "inside", withoutEnlargement: true })
        .flatten({ background: "#ffffff" })
        .jpeg({ quality: 88 })
        .toBuffer({ resolveWithObject: true }),
      upright
        .clone()
        .resize({ width: POSE_SIDE, height: POSE_SIDE, fit: "inside" })
        .flatten({ background: "#ffffff" })
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true }),
    ]);
    if (Math.min(info.width, info.height) < MIN_SIDE) {
      throw new ImageRejected("too_small", `the image is ${info.width}×${info.height}; at least ${MIN_SIDE} px on each side is needed`);
    }
    return { jpeg, width: info.width, height: info.height, pose: { rgb, width: small.width, height: small.height } };
  } catch (error) {
    if (error instanceof ImageRejected) throw error;
    throw new ImageRejected("corrupt", "the image could not be decoded");
  }
}
