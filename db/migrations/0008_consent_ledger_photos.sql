CREATE TABLE "consent_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"consent_type" text NOT NULL,
	"action" text NOT NULL,
	"text_version" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "consent_events" ADD CONSTRAINT "consent_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consent_events_user_idx" ON "consent_events" USING btree ("user_id","consent_type","created_at");--> statement-breakpoint
ALTER TABLE "consent_events" ADD CONSTRAINT "consent_events_type" CHECK ("consent_type" IN ('photo_processing', 'tryon'));--> statement-breakpoint
ALTER TABLE "consent_events" ADD CONSTRAINT "consent_events_action" CHECK ("action" IN ('granted', 'revoked'));--> statement-breakpoint
ALTER TABLE "consent_events" ADD CONSTRAINT "consent_events_source" CHECK ("source" IN ('mcp', 'site'));--> statement-breakpoint
CREATE FUNCTION "consent_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'consent_events is append-only: record a new grant or revocation instead';
END $$;--> statement-breakpoint
CREATE TRIGGER "consent_events_no_update" BEFORE UPDATE ON "consent_events" FOR EACH ROW EXECUTE FUNCTION "consent_events_append_only"();
