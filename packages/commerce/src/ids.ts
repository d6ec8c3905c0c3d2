/** The largest value of a Postgres `integer` (serial ids of orders, channels, tiers, …). */
const MAX_INT4 = 2_147_483_647;

/**
 * Whether `n` can name a row by a serial id at all. Ids arrive from editable callback data and deep
 * links; one beyond `integer` would make the query fail instead of finding nothing, so callers answer
 * it as they answer an id that names no row.
 */
export const isRowId = (n: number): boolean => Number.isSafeInteger(n) && n > 0 && n <= MAX_INT4;
