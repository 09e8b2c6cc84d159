ALTER TABLE "mail_outbox" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "reservation" ADD COLUMN "discord_url" text;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "time_zone" text DEFAULT 'Europe/Paris' NOT NULL;--> statement-breakpoint
-- Messages handed to SMTP before this column existed were handed over once.
UPDATE "mail_outbox" SET "attempts" = 1 WHERE "transport" = 'smtp';
