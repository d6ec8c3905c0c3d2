export * from "./bot-api/index.ts";
export * from "./nowpayments/index.ts";
export { createTestDatabase, type TestDatabase } from "./test-database.ts";
