import type { EventEnvelope } from "@telepay/events";
import type { Ctx } from "./context.ts";
import { driveOrder } from "./redrive.ts";

/**
 * payment.confirmed / payment.updated are hints that an order has work: its grant and notices were
 * written with the payment itself, and driveOrder does whatever the database says is still owed.
 * Nothing in the payload is trusted (a forged event for an unpaid order finds nothing to do), and
 * the event is acknowledged even when the work must wait (busy, or retrying later): the re-drive
 * finishes it, so a slow or stuck delivery never uses up the bus's attempts or dead-letters.
 */
export async function onPaymentEvent(
  ctx: Ctx,
  event: EventEnvelope<"payment.confirmed" | "payment.updated">,
): Promise<"ack"> {
  await driveOrder(ctx, event.data.orderId);
  return "ack";
}
