import type { BotTexts } from "@telepay/telegram";
import { parseTiers, type TierDraft } from "../onboarding-state.ts";

/** A plan as the dashboard sends it. */
export interface TierInput {
  label: string;
  price: string;
  days: number;
  /** Whole Stars, for a channel that sells for Stars. */
  starsPrice?: number | null;
}

/**
 * Checks plans from the dashboard with the bot's own rules (the /mychannels text editor's parser,
 * so both ways of editing accept exactly the same plans). Returns the refusal (worded in `t`'s
 * language) or the drafts.
 */
export function checkTiers(
  input: readonly TierInput[],
  t: BotTexts,
): { ok: true; value: TierDraft[] } | { ok: false; error: string } {
  const lines = input.map(
    (x) =>
      `${String(x.price).trim()}:${x.days}:${String(x.label).replace(/\s+/g, " ").trim()}` +
      (x.starsPrice != null ? ` ⭐${x.starsPrice}` : ""),
  );
  const parsed = parseTiers(lines.join("\n"));
  // The refusal is worded by the catalog, in the owner's language (`t`), like the bot's.
  return parsed.ok ? parsed : { ok: false, error: t.inputProblem(parsed.error) };
}
