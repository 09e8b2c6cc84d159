CREATE TABLE "voice_credential" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"user_id" text NOT NULL,
	"spec" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "voice_session_slot" (
	"session_id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"user_id" text NOT NULL,
	"lease_until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "voice_credential" ADD CONSTRAINT "voice_credential_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "voice_credential_expires_idx" ON "voice_credential" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "voice_session_slot_org_idx" ON "voice_session_slot" USING btree ("organization_id","lease_until");--> statement-breakpoint
CREATE INDEX "voice_session_slot_user_idx" ON "voice_session_slot" USING btree ("user_id","lease_until");