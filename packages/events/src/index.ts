export type { BusHealth, EventBus, EventHandler, HandlerResult } from "./bus.ts";
export * from "./topics.ts";
