CREATE TABLE "star_subscriptions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "star_subscriptions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" bigint NOT NULL,
	"channel_id" integer NOT NULL,
	"charge_id" text NOT NULL,
	"order_id" integer NOT NULL,
	"state" text DEFAULT 'renewing' NOT NULL,
	"period_end" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "star_subscriptions_charge_id_unique" UNIQUE("charge_id"),
	CONSTRAINT "star_subscriptions_user_channel_uq" UNIQUE("user_id","channel_id")
);
--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "rails" text DEFAULT 'crypto' NOT NULL;--> statement-breakpoint
ALTER TABLE "tiers" ADD COLUMN "stars_price" integer;--> statement-breakpoint
ALTER TABLE "star_subscriptions" ADD CONSTRAINT "star_subscriptions_user_id_users_telegram_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("telegram_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "star_subscriptions" ADD CONSTRAINT "star_subscriptions_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "star_subscriptions" ADD CONSTRAINT "star_subscriptions_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "star_subscriptions_renewing_idx" ON "star_subscriptions" USING btree ("channel_id") WHERE "star_subscriptions"."state" = 'renewing';--> statement-breakpoint
ALTER TABLE "tiers" ADD CONSTRAINT "tiers_stars_price_range" CHECK ("tiers"."stars_price" IS NULL OR "tiers"."stars_price" BETWEEN 1 AND 10000);