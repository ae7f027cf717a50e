CREATE TABLE "tryon_job_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"worker" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text DEFAULT 'running' NOT NULL,
	"error" text,
	"duration_ms" integer
);
--> statement-breakpoint
ALTER TABLE "tryon_jobs" ADD COLUMN "progress" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tryon_job_attempts" ADD CONSTRAINT "tryon_job_attempts_job_id_tryon_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."tryon_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tryon_job_attempts_job_idx" ON "tryon_job_attempts" USING btree ("job_id","attempt");