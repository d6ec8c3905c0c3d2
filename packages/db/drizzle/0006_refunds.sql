ALTER TABLE "orders" ADD COLUMN "reversed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "end_cause" text;--> statement-breakpoint
CREATE INDEX "orders_unreversed_idx" ON "orders" USING btree ("updated_at") WHERE "orders"."status" = 'refunded' and "orders"."paid_at" is not null and "orders"."reversed_at" is null;--> statement-breakpoint
-- Refunds recorded before reversals existed are left as they were (no retroactive withdrawal or
-- notices years later): they count as reversed. docs/refunds.md.
UPDATE "orders" SET "reversed_at" = "updated_at" WHERE "status" = 'refunded' AND "paid_at" IS NOT NULL;
