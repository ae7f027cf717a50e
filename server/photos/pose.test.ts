import { afterAll, describe, expect, it } from "vitest";
import { photoFixtures } from "../../tests/support/photos";
import { ImageRejected, normalizePhoto, sniffImage } from "./image";
import { judgeFullBody, PoseModel, type PoseResult } from "./pose";
import sharp from "sharp";

const model = new PoseModel();
afterAll(() => model.close());

async function judge(bytes: Buffer) {
  const photo = await normalizePhoto(bytes);
  return judgeFullBody(await model.detect(photo.pose.rgb, photo.pose.width, photo.pose.height));
}

describe("full-body validation with the real pose model (MoveNet + BlazeFace, WASM, in a worker thread)", () => {
  it("approves people standing head to feet", async () => {
    const f = await photoFixtures();
    for (const bytes of [f.fullBody, f.avatar]) {
      const report = await judge(bytes);
      expect(report.status, report.reason).toBe("approved");
      expect(report.scores.leftAnkle).toBeGreaterThan(0.3);
      expect(report.scores.personHeight).toBeGreaterThan(0.45);
      expect(report.keypoints).toHaveLength(17);
    }
  }, 60_000);

  it("rejects a photo cut at the knees, a seated half-portrait and a group, naming what failed", async () => {
    const f = await photoFixtures();
    const knees = await judge(f.kneesUp);
    expect(knees.status).toBe("rejected");
    expect(knees.failures).toEqual(expect.arrayContaining(["left_ankle_not_visible", "right_ankle_not_visible"]));
    expect(knees.reason).toMatch(/ankle is not in the frame/);
    const seated = await judge(f.seated);
    expect(seated.status).toBe("rejected");
    expect(seated.failures).toContain("left_ankle_not_visible");
    const group = await judge(f.group);
    expect(group.status).toBe("rejected");
    expect(group.failures).toContain("more_than_one_person");
  }, 60_000);
});

describe("the full-body rule", () => {
  const standing = (over: Partial<Record<string, [number, number, number]>> = {}): PoseResult => {
    const base: Record<string, [number, number, number]> = {
      nose: [100, 40, 0.9], leftEye: [104, 36, 0.9], rightEye: [96, 36, 0.9], leftEar: [108, 40, 0.8], rightEar: [92, 40, 0.8],
      leftShoulder: [120, 80, 0.9], rightShoulder: [80, 80, 0.9], leftElbow: [125, 130, 0.9], rightElbow: [75, 130, 0.9],
      leftWrist: [128, 170, 0.9], rightWrist: [72, 170, 0.9], leftHip: [112, 180, 0.9], rightHip: [88, 180, 0.9],
      leftKnee: [110, 260, 0.9], rightKnee: [90, 260, 0.9], leftAnkle: [110, 340, 0.9], rightAnkle: [90, 340, 0.9],
    };
    const parts = { ...base, ...over } as Record<string, [number, number, number]>;
    return { width: 200, height: 360, faces: 1, bodyScore: 0.9, keypoints: Object.entries(parts).map(([part, [x, y, score]]) => ({ part, x, y, score })) };
  };

  it("approves head to ankles, upright, tall enough, alone", () => {
    expect(judgeFullBody(standing()).status).toBe("approved");
  });
  it("an ankle on the frame's edge or unsure fails", () => {
    expect(judgeFullBody(standing({ leftAnkle: [110, 359.9, 0.9] })).failures).toEqual(["left_ankle_not_visible"]);
    expect(judgeFullBody(standing({ rightAnkle: [90, 340, 0.1] })).failures).toEqual(["right_ankle_not_visible"]);
  });
  it("upside down, too small, two faces, nobody", () => {
    const flipped = standing({ nose: [100, 350, 0.9], leftEye: [0, 0, 0], rightEye: [0, 0, 0], leftEar: [0, 0, 0], rightEar: [0, 0, 0], leftAnkle: [110, 20, 0.9], rightAnkle: [90, 20, 0.9] });
    expect(judgeFullBody(flipped).failures).toContain("not_upright");
    const tiny = standing({ nose: [100, 300, 0.9], leftEye: [0, 0, 0], rightEye: [0, 0, 0], leftEar: [0, 0, 0], rightEar: [0, 0, 0], leftHip: [112, 320, 0.9], rightHip: [88, 320, 0.9], leftAnkle: [110, 340, 0.9], rightAnkle: [90, 340, 0.9] });
    expect(judgeFullBody(tiny).failures).toEqual(["person_too_small"]);
    expect(judgeFullBody({ ...standing(), faces: 2 }).failures).toEqual(["more_than_one_person"]);
    expect(judgeFullBody({ width: 200, height: 360, faces: 0, bodyScore: 0, keypoints: [] }).failures).toEqual(["no_person"]);
  });
});

describe("images are judged by their bytes and kept without metadata", () => {
  it("sniffs JPEG, PNG, WebP and HEIC, and nothing else", async () => {
    const f = await photoFixtures();
    expect(sniffImage(f.fullBody)).toBe("jpeg");
    expect(sniffImage(f.avatar)).toBe("png");
    expect(sniffImage(f.seated)).toBe("webp");
    expect(sniffImage(Buffer.from("\0\0\0\x18ftypheic\0\0\0\0", "latin1"))).toBe("heic");
    expect(sniffImage(f.textAsJpg)).toBeNull();
  });

  it("strips EXIF (with its GPS position) and refuses text, bombs and HEIC with a reason", async () => {
    const f = await photoFixtures();
    expect((await sharp(f.fullBody).metadata()).exif).toBeDefined();
    const kept = await normalizePhoto(f.fullBody);
    const meta = await sharp(kept.jpeg).metadata();
    expect(meta.format).toBe("jpeg");
    expect(meta.exif).toBeUndefined();
    expect(kept.jpeg.includes(Buffer.from("FixtureCam"))).toBe(false);
    await expect(normalizePhoto(f.textAsJpg)).rejects.toMatchObject({ reason: "not_an_image" });
    await expect(normalizePhoto(f.bomb)).rejects.toMatchObject({ reason: "too_many_pixels", message: expect.stringContaining("30000×30000") });
    await expect(normalizePhoto(Buffer.from("\0\0\0\x18ftypheic\0\0\0\0", "latin1"))).rejects.toBeInstanceOf(ImageRejected);
  });
});
