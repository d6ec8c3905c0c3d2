export * from "./channels.ts";
export * from "./orders.ts";
export * from "./subscriptions.ts";
export * from "./users.ts";
