import type { Command } from "../command.ts";

/** `telepay db migrate`: applies the committed SQL migrations (serialised by an advisory lock on Postgres). */
const migrate: Command = {
  path: ["db", "migrate"],
  summary: "Apply pending database migrations (safe to run while the services are up).",
  usage: "db migrate [--json]",
  options: {},
  maxPositionals: 0,
  async run(ctx) {
    const database = await ctx.database();
    const started = Date.now();
    const { applied } = await database.migrate();
    const ms = Date.now() - started;
    ctx.print(
      { status: "migrated", applied, target: ctx.target(), durationMs: ms },
      applied.length > 0
        ? `Applied ${applied.length} migration${applied.length === 1 ? "" : "s"}: ${applied.join(", ")} (${ctx.target()}, ${ms} ms).`
        : `Database is up to date: nothing to apply (${ctx.target()}, ${ms} ms).`,
    );
  },
};

export const dbCommands: readonly Command[] = [migrate];
