CREATE TABLE "checkouts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "checkouts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"order_id" integer NOT NULL,
	"payment_id" text NOT NULL,
	"pay_currency" text NOT NULL,
	"pay_amount" numeric NOT NULL,
	"pay_address" text NOT NULL,
	"payin_extra_id" text,
	"payout_address" text NOT NULL,
	"payout_currency" text NOT NULL,
	"expires_at" timestamp with time zone,
	"chat_id" bigint,
	"message_id" integer,
	"shown_status" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checkouts_payment_id_unique" UNIQUE("payment_id")
);
--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "payout_extra_id" text;--> statement-breakpoint
ALTER TABLE "checkouts" ADD CONSTRAINT "checkouts_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "checkouts_order_coin_uq" ON "checkouts" USING btree ("order_id","pay_currency");--> statement-breakpoint
CREATE INDEX "checkouts_message_idx" ON "checkouts" USING btree ("order_id") WHERE "checkouts"."message_id" IS NOT NULL;