export * from "./bot-api/index.ts";
export {
  type SeedChannelOptions,
  type SeededChannel,
  type SeedOrderOptions,
  seedChannel,
  seedOrder,
  seedUser,
} from "./fixtures/catalog.ts";
export { type DashboardSeed, seedDashboard } from "./fixtures/dashboard-seed.ts";
export { type OrderToPay, type PaidOrder, type PayOrderOptions, payOrder } from "./fixtures/payments.ts";
export { freePort } from "./free-port.ts";
export * from "./nowpayments/index.ts";
export {
  type OversizeFraming,
  type OversizePostOptions,
  type OversizePostResult,
  postOversize,
} from "./oversize-body.ts";
export {
  findPubSubEmulatorJar,
  type PubSubEmulatorProcess,
  pubSubEmulatorAvailable,
  type StartPubSubEmulatorOptions,
  startPubSubEmulator,
} from "./pubsub/emulator-process.ts";
export { startLink } from "./slow-link.ts";
export { type SourceScript, sourceNodeFlags } from "./source-node.ts";
export { createTestDatabase, type TestDatabase } from "./test-database.ts";
