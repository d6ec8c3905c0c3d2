/** SQLSTATE of a unique_violation. */
const UNIQUE_VIOLATION = "23505";

interface PgErrorFields {
  code?: unknown;
  constraint?: unknown;
  constraint_name?: unknown;
  cause?: unknown;
}

/**
 * True when `err` (from postgres.js or PGlite, wrapped by drizzle or not) is a unique-constraint
 * violation, optionally of the named constraint: the signal that another writer got there first.
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  for (
    let e = err as PgErrorFields | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as PgErrorFields, depth++
  ) {
    if (e.code === UNIQUE_VIOLATION) {
      if (constraint === undefined) return true;
      return (e.constraint_name ?? e.constraint) === constraint;
    }
  }
  return false;
}
