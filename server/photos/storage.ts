import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdir, readFile, rm, writeFile, rename, readdir } from "node:fs/promises";
import path from "node:path";

/**
 * First-party storage for photos and renders, behind one interface: local disk on the embedded
 * default; an S3 implementation (encrypted at rest) goes behind the same four calls in production.
 * Keys are ours (`photos/<userId>/<photoSetId>/<photoId>.jpg`), never a caller's file name.
 */
export interface AssetStorage {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The bytes, or null when nothing is stored under the key. */
  get(key: string): Promise<{ bytes: Uint8Array; contentType: string } | null>;
  /** Removes the key; removing a missing key is not an error (deletion is idempotent). */
  delete(key: string): Promise<void>;
  /** Every key under the prefix (for deletion checks, exports and audits). */
  list(prefix: string): Promise<string[]>;
}

const KEY = /^[a-z]+(\/[A-Za-z0-9|_.:-]+)+$/;

/** Our key shape: lower-case kind, then segments of safe characters; never a `..`. */
export function isAssetKey(key: string): boolean {
  return KEY.test(key) && !key.includes("..");
}

export function assertKey(key: string): void {
  if (!isAssetKey(key)) throw new Error(`invalid asset key ${JSON.stringify(key)}`);
}

export class LocalDiskStorage implements AssetStorage {
  constructor(private readonly root: string) {}

  private file(key: string): string {
    assertKey(key);
    return path.join(this.root, ...key.split("/"));
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    // Written aside then renamed: a reader never sees half a file.
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, bytes, { mode: 0o600 });
    await writeFile(`${tmp}.type`, contentType, { mode: 0o600 });
    await rename(`${tmp}.type`, `${file}.type`);
    await rename(tmp, file);
  }

  async get(key: string): Promise<{ bytes: Uint8Array; contentType: string } | null> {
    const file = this.file(key);
    try {
      const [bytes, contentType] = await Promise.all([readFile(file), readFile(`${file}.type`, "utf8")]);
      return { bytes, contentType };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.file(key);
    await rm(file, { force: true });
    await rm(`${file}.type`, { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const dir = path.join(this.root, ...prefix.split("/").filter(Boolean));
    const out: string[] = [];
    const walk = async (d: string, rel: string) => {
      let entries;
      try {
        entries = await readdir(d, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
        throw error;
      }
      for (const e of entries) {
        if (e.isDirectory()) await walk(path.join(d, e.name), `${rel}/${e.name}`);
        else if (!e.name.endsWith(".type") && !e.name.endsWith(".tmp")) out.push(`${rel}/${e.name}`);
      }
    };
    await walk(dir, prefix.replace(/\/+$/, ""));
    return out.sort();
  }
}

/** How long a photo link works: long enough to render a page or a widget, too short to be shared. */
export const ASSET_URL_TTL_SECONDS = 300;

/**
 * A short-lived link to one asset of one user, served by our own origin (`/assets/...`). The HMAC
 * binds the key, the owner and the expiry; the route refuses anything else.
 */
export function signedAssetUrl(appBaseUrl: string, appSecret: string, key: string, userId: string, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + ASSET_URL_TTL_SECONDS;
  const sig = assetSignature(appSecret, key, userId, expires);
  const u = new URL(`/assets/${key}`, appBaseUrl);
  u.searchParams.set("u", userId);
  u.searchParams.set("e", String(expires));
  u.searchParams.set("s", sig);
  return u.toString();
}

export function verifyAssetUrl(appSecret: string, key: string, userId: string, expires: number, sig: string, now: Date): boolean {
  if (!Number.isInteger(expires) || expires < now.getTime() / 1000) return false;
  // The key names its owner: a valid signature for another user's key cannot exist, but check anyway.
  if (key.split("/")[1] !== userKey(userId)) return false;
  const expected = Buffer.from(assetSignature(appSecret, key, userId, expires));
  const given = Buffer.from(sig);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function assetSignature(appSecret: string, key: string, userId: string, expires: number): string {
  return createHmac("sha256", `asset-url:${appSecret}`).update(`${key}\n${userId}\n${expires}`).digest("base64url");
}

/** The folder of one user's photo set; every photo and render of the set lives under it. */
export function photoSetPrefix(userId: string, photoSetId: string): string {
  return `photos/${userKey(userId)}/${photoSetId}`;
}

/** User ids (Auth0 `sub`, e.g. `auth0|abc`) as a key segment: only the key's safe characters. */
export function userKey(userId: string): string {
  return encodeURIComponent(userId).replace(/%7C/gi, "|").replace(/%/g, "_");
}

/**
 * S3 in production: private objects, encrypted at rest with the bucket's KMS key (SSE-KMS; AES256 when
 * no key id is given), never public. The bucket's policy and lifecycle live in the infrastructure code.
 */
export class S3Storage implements AssetStorage {
  constructor(
    private readonly client: import("@aws-sdk/client-s3").S3Client,
    private readonly bucket: string,
    private readonly kmsKeyId?: string,
  ) {}

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    assertKey(key);
    const { PutObjectCommand } = await import("@aws-sdk/client-s3");
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: bytes,
        ContentType: contentType,
        // Renders are re-creatable: the bucket's lifecycle expires objects tagged kind=render.
        ...(key.includes("/renders/") ? { Tagging: "kind=render" } : {}),
        ...(this.kmsKeyId ? { ServerSideEncryption: "aws:kms", SSEKMSKeyId: this.kmsKeyId } : { ServerSideEncryption: "AES256" }),
      }),
    );
  }

  async get(key: string): Promise<{ bytes: Uint8Array; contentType: string } | null> {
    assertKey(key);
    const { GetObjectCommand, NoSuchKey } = await import("@aws-sdk/client-s3");
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return { bytes: await out.Body!.transformToByteArray(), contentType: out.ContentType ?? "application/octet-stream" };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    const { DeleteObjectCommand } = await import("@aws-sdk/client-s3");
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async list(prefix: string): Promise<string[]> {
    const { ListObjectsV2Command } = await import("@aws-sdk/client-s3");
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${prefix.replace(/\/+$/, "")}/`, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }
}
