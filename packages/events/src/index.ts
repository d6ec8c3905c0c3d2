export type { BusHealth, EventBus, EventHandler, HandlerResult } from "./bus.ts";
export { type EnqueueOptions, enqueue, handleOnce } from "./outbox.ts";
export * from "./topics.ts";
