CREATE TABLE "offer_opens" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "offer_opens_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"channel_id" integer NOT NULL,
	"tier_id" integer,
	"user_id" bigint NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "offer_opens" ADD CONSTRAINT "offer_opens_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_opens" ADD CONSTRAINT "offer_opens_tier_id_tiers_id_fk" FOREIGN KEY ("tier_id") REFERENCES "public"."tiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "offer_opens_channel_idx" ON "offer_opens" USING btree ("channel_id","opened_at");--> statement-breakpoint
CREATE INDEX "orders_channel_paid_idx" ON "orders" USING btree ("channel_id","paid_at","tier_id","currency","amount") WHERE "orders"."status" = 'finished';--> statement-breakpoint
CREATE INDEX "payments_needs_review_idx" ON "payments" USING btree ("order_id") WHERE "payments"."needs_review";--> statement-breakpoint
CREATE INDEX "subscriptions_channel_created_idx" ON "subscriptions" USING btree ("channel_id","created_at");--> statement-breakpoint
CREATE INDEX "subscriptions_channel_lapsed_idx" ON "subscriptions" USING btree ("channel_id","expires_at") WHERE "subscriptions"."status" <> 'active';