import { z } from "zod";
import { isIpOrCidr } from "./cidr.ts";

// Field builders shared by the per-concern schemas. loadConfig has already trimmed every value and
// turned "" into unset before these run; they trim again so a schema parsed on its own behaves alike.
// Messages never echo the value: some of these fields hold secrets.

/** A required, non-empty string. */
export const text = () => z.string().trim().min(1, "must not be empty");

/** A secret: non-empty, no whitespace inside (a pasted line break is a config error, not a credential). */
export const secret = (minLength = 1) =>
  z
    .string()
    .trim()
    .min(minLength, minLength > 1 ? `must be at least ${minLength} characters` : "must not be empty")
    .regex(/^\S+$/, "must not contain whitespace");

/** A whole number within [min, max], given as a decimal string; `fallback` when unset. */
export const integer = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .default(fallback);

/**
 * A percentage within [min, max] with up to 4 decimals ("1", "0.5"), kept as a normalised decimal
 * string ("01.50" → "1.5") so it can enter exact decimal arithmetic; `fallback` when unset.
 */
export const percent = (fallback: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .transform((value, ctx) => {
      const fail = (message: string) => {
        ctx.issues.push({ code: "custom", message, input: value });
        return z.NEVER;
      };
      if (!/^\d{1,6}(?:\.\d{1,4})?$/.test(value)) {
        return fail("must be a percentage such as 1 or 0.5 (at most 4 decimals)");
      }
      // With at most 4 decimals, Number() is exact enough to compare against the bounds.
      if (Number(value) < min) return fail(`must be at least ${min}`);
      if (Number(value) > max) return fail(`must be at most ${max}`);
      return value
        .replace(/^0+(?=\d)/, "")
        .replace(/(\.\d*?)0+$/, "$1")
        .replace(/\.$/, "");
    })
    .default(fallback);

/** true/false (also 1/0, yes/no, on/off); `fallback` when unset. */
export const flag = (fallback: boolean) => z.stringbool({ error: "must be true or false" }).default(fallback);

/** An http(s) URL without trailing slashes, so callers can append "/path". */
export const httpUrl = () =>
  z
    .string()
    .trim()
    .refine((value) => {
      try {
        const url = new URL(value);
        return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
      } catch {
        return false;
      }
    }, "must be an http(s) URL")
    .transform((value) => value.replace(/\/+$/, ""));

/** A postgres:// or postgresql:// URL (it carries a password: the message never shows it). */
export const postgresUrl = () =>
  z
    .string()
    .trim()
    .refine((value) => {
      try {
        const url = new URL(value);
        return url.protocol === "postgres:" || url.protocol === "postgresql:";
      } catch {
        return false;
      }
    }, "must be a postgres:// URL");

/**
 * A comma-separated list of IPv4/IPv6 addresses and CIDR ranges, parsed to an array. Invalid
 * entries are named in the error (addresses are not secrets). `fallback` applies when unset.
 */
export const cidrList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const entries = value
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== "");
      const invalid = entries.filter((entry) => !isIpOrCidr(entry));
      if (invalid.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `not an IP address or CIDR range: ${invalid.map((e) => JSON.stringify(e)).join(", ")}`,
        });
        return z.NEVER;
      }
      return entries;
    });

/**
 * REMINDER_DAYS: days before expiry to remind, comma separated ("3,1"). Read by the notifier (which
 * sends them) and the CLI (whose `sweep --dry-run` must list the same reminders).
 */
export const reminderDays = () =>
  z
    .string()
    .default("3,1")
    .transform((v, ctx) => {
      const days = v.split(",").map((s) => Number(s.trim()));
      if (days.some((d) => !Number.isInteger(d) || d < 1 || d > 60)) {
        ctx.addIssue({ code: "custom", message: "must be whole days between 1 and 60, comma separated" });
      }
      return days;
    });

/**
 * BROADCASTS_PER_CHANNEL_PER_DAY: how many broadcasts one channel may start in any 24 hours (the
 * core refuses more). Read by the bot and the CLI, which both create broadcasts.
 */
export const broadcastsPerDay = () => integer(3, 0, 100);
