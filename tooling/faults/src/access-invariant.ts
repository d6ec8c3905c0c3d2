import type { BotApiEmulator } from "@telepay/testing";
import type { PlacedOrder } from "./world.ts";

/** What Telegram saw for one paid order: invite links made for it and DMs its payer got. */
export interface OrderAccess {
  order: PlacedOrder;
  links: string[];
  /** When each link's createChatInviteLink reached Telegram. */
  linkCallsAt: number[];
  /** When each bot DM to the payer reached Telegram. */
  dmCallsAt: number[];
  /** Bot DMs to the payer that carry one of the order's links. */
  inviteDms: number;
  /** Every bot DM to the payer. */
  dms: number;
}

/** Per order: the links named after it (createChatInviteLink `name` = reference[:32]) and its DMs. */
export function accessOf(tg: BotApiEmulator, orders: readonly PlacedOrder[]): OrderAccess[] {
  const linksByName = new Map<string, { link: string; at: number }[]>();
  const dmsTo = new Map<string, number[]>();
  for (const call of tg.calls) {
    if (!call.ok) continue;
    if (call.method === "sendMessage") {
      const chat = String(call.params.chat_id);
      dmsTo.set(chat, [...(dmsTo.get(chat) ?? []), call.at]);
    }
    if (call.method !== "createChatInviteLink") continue;
    const name = String(call.params.name);
    const link = (call.response as { result: { invite_link: string } }).result.invite_link;
    linksByName.set(name, [...(linksByName.get(name) ?? []), { link, at: call.at }]);
  }
  return orders.map((order) => {
    const made = linksByName.get(order.reference.slice(0, 32)) ?? [];
    const links = made.map((m) => m.link);
    const dms = tg.messages(order.userId).filter((m) => m.from_id === tg.botId);
    const inviteDms = dms.filter((m) => links.some((l) => JSON.stringify(m.reply_markup ?? "").includes(l)));
    return {
      order,
      links,
      linkCallsAt: made.map((m) => m.at),
      dmCallsAt: dmsTo.get(String(order.userId)) ?? [],
      inviteDms: inviteDms.length,
      dms: dms.length,
    };
  });
}

/**
 * The payer got exactly one DM, and it carries a link made for this order. A second link made for
 * the order but never sent to anyone (Telegram created it, the process died before storing it) is an
 * orphan: counted by {@link orphanLinks}, harmless (a join-request link admits only subscribers, and
 * nobody has it), and documented in docs/decisions/durable-work.md.
 */
export const settledOnce = (a: OrderAccess) => a.links.length >= 1 && a.inviteDms === 1 && a.dms === 1;

/**
 * Orders that broke "one link, one DM" for any reason other than the one no software can rule out:
 * Telegram acted on a call (made a link, delivered a DM) whose answer was still on its way back when
 * the process was killed, so the resumed delivery could not know and did it again. Such a repeat is
 * allowed only when the first call reached Telegram within `windowMs` of the kill, and every DM
 * carries the order's link.
 */
export function unexplainedRepeats(state: readonly OrderAccess[], killedAt: number, windowMs: number) {
  // A call sent just before the kill may reach Telegram a little after it (it was on the wire).
  const inFlight = (at: number) => Math.abs(killedAt - at) <= windowMs;
  return state.filter((a) => {
    if (a.links.length === 0 || a.inviteDms === 0 || a.inviteDms !== a.dms) return true;
    if (a.dms > 2 || a.links.length > 2) return true;
    if (a.dms === 2 && !inFlight(Math.min(...a.dmCallsAt))) return true;
    if (a.links.length === 2 && !inFlight(Math.min(...a.linkCallsAt))) return true;
    return false;
  });
}

/** Links created for orders that were never sent to anyone. */
export const orphanLinks = (state: readonly OrderAccess[]) =>
  state.reduce((n, a) => n + Math.max(0, a.links.length - a.inviteDms), 0);

/**
 * Polls until every order has its one invite and DM, or `deadlineMs` after `from` passes. Returns the
 * worst recovery time (ms after `from` at which the last order was first seen settled) and the
 * state of every order at the end, for the assertions and the failure message.
 */
export async function waitForAccess(
  tg: BotApiEmulator,
  orders: readonly PlacedOrder[],
  from: number,
  deadlineMs: number,
): Promise<{ worstMs: number; final: OrderAccess[]; complete: boolean }> {
  const settledAt = new Map<number, number>();
  for (;;) {
    const now = Date.now();
    const state = accessOf(tg, orders);
    for (const a of state)
      if (a.links.length >= 1 && a.inviteDms >= 1 && !settledAt.has(a.order.id))
        settledAt.set(a.order.id, now);
    const complete = settledAt.size === orders.length;
    if (complete || now - from > deadlineMs) {
      const worstMs = Math.max(0, ...[...settledAt.values()].map((t) => t - from));
      return { worstMs, final: state, complete };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** One line for a failure message: how many orders are in which state. */
export function summarize(state: readonly OrderAccess[]): string {
  const key = (a: OrderAccess) => `links=${a.links.length},inviteDms=${a.inviteDms},dms=${a.dms}`;
  const counts = new Map<string, number>();
  for (const a of state) counts.set(key(a), (counts.get(key(a)) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n}× ${k}`).join("; ");
}

/** One line for a failure message: when an order's links and DMs reached Telegram, from the kill. */
export function describeRepeat(a: OrderAccess, killedAt: number): string {
  const rel = (ts: number[]) => ts.map((t) => `${t - killedAt}`).join(", ");
  return `${a.order.reference}: links at [${rel(a.linkCallsAt)}] ms, DMs at [${rel(a.dmCallsAt)}] ms from the kill`;
}
