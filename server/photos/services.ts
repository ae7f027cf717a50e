import { env, type PhotosConfig } from "../env";
import type { Context } from "../context";
import { DEFAULT_FETCH_POLICY, type FetchPolicy } from "./fetch";
import { poseModel, type PoseModel } from "./pose";
import { LocalDiskStorage, type AssetStorage } from "./storage";
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
    assets: new LocalDiskStorage(config.assetDir),
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
