import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { crc32 } from "node:zlib";
import sharp, { type Region, type Sharp } from "sharp";
import { afterAll, beforeAll } from "vitest";
import { startTestApp, type TestApp } from "./app";
import { openTestDatabase, type TestDatabase } from "./db";

/**
 * Photo fixtures, made at test time from the sample images that ship inside @vladmandic/human
 * (assets/samples.jpg: a strip of portraits over a group photo; assets/screenshot-vrm.jpg: a
 * full-length avatar), cropped and scaled into full-body positives and cropped negatives.
 */
const require = createRequire(import.meta.url);
const assets = path.join(path.dirname(path.dirname(require.resolve("@vladmandic/human"))), "assets");

export interface PhotoFixtures {
  /** A woman standing, head to feet (the strip's first picture); carries EXIF with a GPS position. */
  fullBody: Buffer;
  /** The avatar standing, head to feet. */
  avatar: Buffer;
  /** The avatar cut at the knees: no ankles. */
  kneesUp: Buffer;
  /** A man seated at a table: no ankles. */
  seated: Buffer;
  /** Many people. */
  group: Buffer;
  /** Plain text under a .jpg name. */
  textAsJpg: Buffer;
  /** A PNG whose header claims 30,000 × 30,000 pixels (a decompression bomb's first bytes). */
  bomb: Buffer;
}

const GPS_EXIF = {
  IFD0: { Make: "FixtureCam", Model: "Test 1" },
  IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1", GPSLongitudeRef: "W", GPSLongitude: "0/1 7/1 0/1" },
};

async function crop(file: string, region: Region, height: number): Promise<Sharp> {
  const buffer = await sharp(path.join(assets, file)).extract(region).toBuffer();
  return sharp(buffer).resize({ height });
}

let cached: Promise<PhotoFixtures> | null = null;

export function photoFixtures(): Promise<PhotoFixtures> {
  return (cached ??= (async () => ({
    fullBody: await (await crop("samples.jpg", { left: 0, top: 0, width: 160, height: 158 }, 800)).withExif(GPS_EXIF).jpeg().toBuffer(),
    avatar: await (await crop("screenshot-vrm.jpg", { left: 0, top: 0, width: 330, height: 653 }, 900)).png().toBuffer(),
    kneesUp: await (await crop("screenshot-vrm.jpg", { left: 0, top: 0, width: 330, height: 470 }, 800)).jpeg().toBuffer(),
    seated: await (await crop("samples.jpg", { left: 320, top: 0, width: 220, height: 158 }, 700)).webp().toBuffer(),
    group: await (await crop("samples.jpg", { left: 0, top: 200, width: 1280, height: 958 }, 800)).jpeg().toBuffer(),
    textAsJpg: Buffer.from("this is not a photo, whatever its name says\n".repeat(50)),
    bomb: pngHeaderClaiming(30_000, 30_000),
  }))());
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function pngHeaderClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk("IEND", Buffer.alloc(0))]);
}

/**
 * A loopback image host serving the fixtures by name (`/fullBody.jpg`), plain http: the test allow-lists
 * its `host` (127.0.0.1:port) in PHOTO_FETCH_HTTP_HOSTS, and nothing else may be reached.
 */
export interface PhotoHost {
  host: string;
  url: (name: keyof PhotoFixtures) => string;
  close: () => Promise<void>;
}

export async function startPhotoHost(fixtures: PhotoFixtures): Promise<PhotoHost> {
  const server = http.createServer((req, res) => {
    const body = fixtures[(req.url ?? "").replace(/^\//, "").replace(/\.\w+$/, "") as keyof PhotoFixtures];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "image/jpeg" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { host, url: (name) => `http://${host}/${name}.jpg`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * The photo suites' fixture: a private database, the app's doors on loopback with photo URLs allowed to
 * reach only the test's own image host, the fixtures, and the host itself. Closed after the file.
 */
export function usePhotoApp(): { readonly database: TestDatabase; readonly app: TestApp; readonly fixtures: PhotoFixtures; readonly images: PhotoHost } {
  const fixture = {} as { database: TestDatabase; app: TestApp; fixtures: PhotoFixtures; images: PhotoHost };
  beforeAll(async () => {
    fixture.fixtures = await photoFixtures();
    fixture.images = await startPhotoHost(fixture.fixtures);
    fixture.database = await openTestDatabase();
    fixture.app = await startTestApp(fixture.database, { photoHttpHosts: [fixture.images.host] });
  }, 60_000);
  afterAll(async () => {
    await fixture.app?.close();
    await fixture.database?.close();
    await fixture.app?.deps.photos.pose.close();
    await fixture.images?.close();
  });
  return fixture;
}
