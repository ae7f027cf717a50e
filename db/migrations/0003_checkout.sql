CREATE TABLE "wardrobe_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"product_id" text NOT NULL,
	"size" text,
	"approval_id" uuid,
	"acquired_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wardrobe_items_approval_product_uq" UNIQUE("approval_id","product_id")
);
--> statement-breakpoint
ALTER TABLE "approvals" ALTER COLUMN "status" SET DEFAULT 'pending_approval';--> statement-breakpoint
ALTER TABLE "approval_items" ADD COLUMN "position" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "approval_items" ADD COLUMN "size" text;--> statement-breakpoint
ALTER TABLE "approvals" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "approvals" ADD COLUMN "basket_hash" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "approvals" ADD COLUMN "checkout_url" text;--> statement-breakpoint
ALTER TABLE "approvals" ADD COLUMN "paid_amount_minor" integer;--> statement-breakpoint
ALTER TABLE "approvals" ADD COLUMN "discrepancy" jsonb;--> statement-breakpoint
ALTER TABLE "approvals" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "approvals" ADD COLUMN "paid_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "approvals" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stripe_webhook_events" ADD COLUMN "approval_id" uuid;--> statement-breakpoint
ALTER TABLE "stripe_webhook_events" ADD COLUMN "outcome" text;--> statement-breakpoint
ALTER TABLE "wardrobe_items" ADD CONSTRAINT "wardrobe_items_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wardrobe_items" ADD CONSTRAINT "wardrobe_items_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wardrobe_items" ADD CONSTRAINT "wardrobe_items_approval_id_approvals_id_fk" FOREIGN KEY ("approval_id") REFERENCES "public"."approvals"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "wardrobe_items_user_idx" ON "wardrobe_items" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "stripe_webhook_events" ADD CONSTRAINT "stripe_webhook_events_approval_id_approvals_id_fk" FOREIGN KEY ("approval_id") REFERENCES "public"."approvals"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Rows written before the status names of the checkout flow take the new names.
UPDATE "approvals" SET "status" = CASE "status" WHEN 'pending' THEN 'pending_approval' WHEN 'checkout_started' THEN 'approved' WHEN 'cancelled' THEN 'canceled' ELSE "status" END;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_status_valid" CHECK ("approvals"."status" in ('pending_approval', 'approved', 'payment_pending', 'paid', 'payment_failed', 'expired', 'canceled'));--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_total_nonnegative" CHECK ("approvals"."total_minor" >= 0);