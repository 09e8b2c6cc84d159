CREATE TABLE "refresh_token" (
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
-- Keys made before scopes could do everything: they keep that, explicitly, as `admin`.
ALTER TABLE "api_key" ADD COLUMN "scopes" text[] DEFAULT ARRAY['admin']::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "api_key" ALTER COLUMN "scopes" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "refresh_token" ADD CONSTRAINT "refresh_token_session_id_session_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."session"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "refresh_token_hash_idx" ON "refresh_token" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "refresh_token_session_idx" ON "refresh_token" USING btree ("session_id");