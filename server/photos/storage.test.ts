import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateBucketCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalDiskStorage, S3Storage, signedAssetUrl, verifyAssetUrl, type AssetStorage } from "./storage";

/**
 * The storage interface's contract, run against both implementations: local disk, and S3 through the
 * real AWS SDK against s3rver (an S3-compatible server from npm) on loopback.
 */
let s3rver: S3rver;
let s3: S3Client;
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), "stylist-storage-"));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  s3rver = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: tmp() });
  const address = (await s3rver.run()) as unknown as AddressInfo;
  s3 = new S3Client({
    endpoint: `http://127.0.0.1:${address.port}`,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  await s3.send(new CreateBucketCommand({ Bucket: "stylist-assets" }));
});

afterAll(async () => {
  s3?.destroy();
  await s3rver?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const implementations: Array<[string, () => AssetStorage]> = [
  ["local disk", () => new LocalDiskStorage(tmp())],
  ["S3 (s3rver)", () => new S3Storage(s3, "stylist-assets")],
];

describe.each(implementations)("AssetStorage contract: %s", (_name, make) => {
  it("stores, reads, lists by prefix and deletes idempotently", async () => {
    const store = make();
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3]);
    await store.put("photos/alice/set-1/p1.jpg", bytes, "image/jpeg");
    await store.put("photos/alice/set-1/renders/j1-1.jpg", bytes, "image/jpeg");
    await store.put("photos/bob/set-2/p2.jpg", bytes, "image/jpeg");
    expect(await store.get("photos/alice/set-1/p1.jpg")).toEqual({ bytes: expect.any(Uint8Array), contentType: "image/jpeg" });
    expect([...(await store.get("photos/alice/set-1/p1.jpg"))!.bytes]).toEqual([...bytes]);
    expect(await store.list("photos/alice/set-1")).toEqual(["photos/alice/set-1/p1.jpg", "photos/alice/set-1/renders/j1-1.jpg"]);
    expect(await store.list("photos/alice")).not.toContain("photos/bob/set-2/p2.jpg");
    await store.delete("photos/alice/set-1/p1.jpg");
    await store.delete("photos/alice/set-1/p1.jpg");
    expect(await store.get("photos/alice/set-1/p1.jpg")).toBeNull();
    expect(await store.get("photos/nobody/x.jpg")).toBeNull();
    expect(await store.list("photos/nobody")).toEqual([]);
  });

  it("refuses keys that could escape their folder", async () => {
    const store = make();
    await expect(store.put("photos/../../etc/passwd", new Uint8Array([1]), "text/plain")).rejects.toThrow(/invalid asset key/);
    await expect(store.get("/absolute")).rejects.toThrow(/invalid asset key/);
  });
});

describe("S3 objects are encrypted at rest", () => {
  it("puts with server-side encryption", async () => {
    const sent: unknown[] = [];
    const spy = { send: async (command: { input: unknown }) => (sent.push(command.input), s3.send(command as never)) } as unknown as S3Client;
    await new S3Storage(spy, "stylist-assets").put("photos/alice/s/p.jpg", new Uint8Array([1]), "image/jpeg");
    await new S3Storage(spy, "stylist-assets", "arn:aws:kms:eu-west-1:1:key/k").put("photos/alice/s/q.jpg", new Uint8Array([1]), "image/jpeg").catch(() => undefined);
    expect(sent[0]).toMatchObject({ ServerSideEncryption: "AES256" });
    expect(sent[1]).toMatchObject({ ServerSideEncryption: "aws:kms", SSEKMSKeyId: "arn:aws:kms:eu-west-1:1:key/k" });
    const stored = await s3.send(new GetObjectCommand({ Bucket: "stylist-assets", Key: "photos/alice/s/p.jpg" }));
    expect(stored.ContentType).toBe("image/jpeg");
  });
});

describe("signed asset links", () => {
  const secret = "a-secret-of-at-least-thirty-two-characters";
  it("open only the owner's key, unexpired, untampered", () => {
    const now = new Date("2026-11-30T00:00:00Z");
    const url = new URL(signedAssetUrl("https://stylist.example", secret, "photos/alice/s/p.jpg", "alice", now));
    const [u, e, s] = ["u", "e", "s"].map((k) => url.searchParams.get(k)!) as [string, string, string];
    expect(verifyAssetUrl(secret, "photos/alice/s/p.jpg", u, Number(e), s, now)).toBe(true);
    expect(verifyAssetUrl(secret, "photos/alice/s/other.jpg", u, Number(e), s, now)).toBe(false);
    expect(verifyAssetUrl(secret, "photos/alice/s/p.jpg", "bob", Number(e), s, now)).toBe(false);
    expect(verifyAssetUrl(secret, "photos/alice/s/p.jpg", u, Number(e) + 60, s, now)).toBe(false);
    expect(verifyAssetUrl(secret, "photos/alice/s/p.jpg", u, Number(e), s, new Date(now.getTime() + 301_000))).toBe(false);
    expect(verifyAssetUrl("another-secret-of-at-least-thirty-two-chars", "photos/alice/s/p.jpg", u, Number(e), s, now)).toBe(false);
  });
});
