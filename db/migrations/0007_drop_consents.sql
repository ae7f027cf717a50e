DROP TABLE "consents" CASCADE;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "content_type" text;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "width" integer;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "height" integer;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "byte_size" integer;