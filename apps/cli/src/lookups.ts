import { channels, type Db, type DbOrTx } from "@telepay/db";
import { eq } from "drizzle-orm";
import { CliError } from "./args.ts";

/** The channel row, or a CliError naming the id (exit 1). */
export async function requireChannel(db: DbOrTx | Db, id: number) {
  const [row] = await db.select().from(channels).where(eq(channels.id, id));
  if (!row) throw new CliError(`no channel with id ${id} (see telepay channel list)`);
  return row;
}
