import { env, type PhotosConfig } from "../env";
import type { Context } from "../context";
import { DEFAULT_FETCH_POLICY, type FetchPolicy } from "./fetch";
import { poseModel, type PoseModel } from "./pose";
import { S3Client } from "@aws-sdk/client-s3";
import { LocalDiskStorage, S3Storage, type AssetStorage } from "./storage";
import { WarpRenderer, type Renderer } from "../tryon/renderer";

/** What photo work needs: storage, the pose model, the fetch policy and the try-on rule. */
export interface PhotoServices {
  assets: AssetStorage;
  pose: PoseModel;
  fetchPolicy: FetchPolicy;
  requireFullBody: boolean;
  renderer: Renderer;
}

export function createPhotoServices(config: PhotosConfig): PhotoServices {
  return {
    // S3 credentials and region come from the task's role and AWS_REGION (the SDK's default chain).
    assets: config.storage.kind === "s3" ? new S3Storage(new S3Client({}), config.storage.bucket, config.storage.kmsKeyId) : new LocalDiskStorage(config.storage.dir),
    pose: poseModel(),
    fetchPolicy: { ...DEFAULT_FETCH_POLICY, httpHosts: config.fetchHttpHosts },
    requireFullBody: config.requireFullBody,
    renderer: new WarpRenderer(),
  };
}

let defaults: PhotoServices | null = null;

/** The context's services, or the process's own, configured from the environment. */
export function photoServices(ctx: Context): PhotoServices {
  return ctx.photos ?? (defaults ??= createPhotoServices(env().photos));
}
