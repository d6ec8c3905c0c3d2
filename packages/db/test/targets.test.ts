import { afterAll, beforeAll, describe } from "vitest";
import type { TestDatabase } from "../../testing/src/test-database.ts";
import { constraintsSuite } from "./constraints.suite.ts";
import { openTarget, targets } from "./targets.ts";

// One migrated database per target shared by the suites (each seeds its own rows): booting PGlite
// and migrating a fresh Postgres database is most of the cost, so it is paid once per target.
describe.each(targets)("on $name", (target) => {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await openTarget(target);
  });
  afterAll(async () => {
    await database?.close();
  });
  const get = () => {
    if (!database) throw new Error("the test database did not open");
    return database;
  };
  constraintsSuite(get);
});
