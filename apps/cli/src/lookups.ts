import { channels, type Db, type DbOrTx } from "@telepay/db";
import { eq } from "drizzle-orm";
import { CliError } from "./args.ts";

/** The channel row, or a CliError naming the id (exit 1). */
export async function requireChannel(db: DbOrTx | Db, id: number) {
  const [row] = await db.select().from(channels).where(eq(channels.id, id));
  if (!row) throw new CliError(`no channel with id ${id} (see telepay channel list)`);
  return row;
}

/**
 * @telepay/events, loaded only by commands that enqueue: its index also pulls in the Pub/Sub client
 * (~0.5 s of start-up), which read-only commands should not pay for.
 */
export function loadEvents() {
  return import("@telepay/events");
}
