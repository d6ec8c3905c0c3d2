import { botTexts } from "@telepay/telegram";
import { parseTiers, type TierDraft } from "../onboarding-state.ts";

/** A plan as the dashboard sends it. */
export interface TierInput {
  label: string;
  price: string;
  days: number;
}

/**
 * Checks plans from the dashboard with the bot's own rules (the /mychannels text editor's parser,
 * so both ways of editing accept exactly the same plans). Returns the refusal or the drafts.
 */
export function checkTiers(
  input: readonly TierInput[],
): { ok: true; value: TierDraft[] } | { ok: false; error: string } {
  const lines = input.map(
    (x) => `${String(x.price).trim()}:${x.days}:${String(x.label).replace(/\s+/g, " ").trim()}`,
  );
  const parsed = parseTiers(lines.join("\n"));
  // The dashboard's page is English (DASHBOARD_TEXTS): its refusal is the English catalog's.
  return parsed.ok ? parsed : { ok: false, error: botTexts("en").inputProblem(parsed.error) };
}
