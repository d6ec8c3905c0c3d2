import { bigint, numeric, timestamp } from "drizzle-orm/pg-core";

/** Telegram ids exceed 2^31 and may grow past 2^53 in theory: kept as SQL bigint, JS bigint. */
export const telegramId = (name: string) => bigint(name, { mode: "bigint" });

/** Money is never a float: NUMERIC in SQL, a decimal string in code. */
export const money = (name: string) => numeric(name);

/** Every instant is timestamptz in UTC. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const createdAt = () => instant("created_at").notNull().defaultNow();
export const updatedAt = () => instant("updated_at").notNull().defaultNow();
