CREATE TABLE "voice_usage" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"user_id" text NOT NULL,
	"session_id" text NOT NULL,
	"kind" text NOT NULL,
	"period" text NOT NULL,
	"plan" text NOT NULL,
	"granted_seconds" integer,
	"seconds" integer,
	"end_reason" text,
	"started_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "voice_usage" ADD CONSTRAINT "voice_usage_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_usage" ADD CONSTRAINT "voice_usage_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "voice_usage_session_idx" ON "voice_usage" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "voice_usage_user_period_idx" ON "voice_usage" USING btree ("user_id","period","started_at");