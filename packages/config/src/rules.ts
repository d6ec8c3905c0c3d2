import type { z } from "zod";

/**
 * A cross-field check over the (possibly partly invalid) env object. It reports with
 * `ctx.addIssue({ code: "custom", path: [VARIABLE], message })`.
 */
export type EnvRule = (env: Record<string, unknown>, ctx: z.RefinementCtx) => void;

/**
 * Adds cross-field rules to an app's env schema. They run even when other variables are invalid
 * (zod skips refinements after a failed field by default), so one start-up error lists everything.
 */
export function withRules<T extends z.ZodObject>(schema: T, ...rules: EnvRule[]): T {
  let result = schema;
  for (const rule of rules) {
    result = result.superRefine((value, ctx) => rule(value as Record<string, unknown>, ctx), {
      when: () => true,
    });
  }
  return result;
}
