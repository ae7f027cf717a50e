ALTER TABLE "outfit_items" ADD COLUMN "owned" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "outfits" ADD COLUMN "why" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "season" text;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "solver" jsonb;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "summary" text;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "plans_user_created_idx" ON "plans" USING btree ("user_id","created_at");