/**
 * npm run worker: a try-on worker process (production runs several beside the web tasks, with
 * TRYON_WORKER=off on the web). Same configuration as the app (DATABASE_URL, ASSET_DIR or S3, …);
 * migrations are not run here. SIGTERM/SIGINT: finish the job in hand, then exit.
 */
import { openConfiguredDatabase } from "@/db/open";
import { env } from "@/server/env";
import { rootLogger } from "@/server/logger";
import { createPhotoServices } from "@/server/photos/services";
import { TryonWorker } from "@/server/tryon/worker";

const config = env();
const log = rootLogger();
if (config.database.kind !== "postgres") {
  console.error("npm run worker needs DATABASE_URL: with the embedded database the app runs its try-on worker itself (TRYON_WORKER=inline).");
  process.exit(1);
}
const database = await openConfiguredDatabase({ ...config, catalogSeedSize: 0 }, (msg) => log.info(msg));
const photos = createPhotoServices(config.photos);
const worker = new TryonWorker({
  database,
  assets: photos.assets,
  renderer: photos.renderer,
  log: log.child({ component: "tryon-worker" }),
  ...config.photos.workerTuning,
  // Queue metrics for CloudWatch (Embedded Metric Format on stdout) in production.
  metricsEveryMs: config.nodeEnv === "production" ? 30_000 : undefined,
});
await worker.start();
log.info({ worker: worker.id }, "try-on worker started");
console.log(`worker ${worker.id} ready`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await worker.stop();
  await photos.pose.close();
  await database.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
