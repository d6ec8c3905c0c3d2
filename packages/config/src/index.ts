export type { AppHandle, ComponentState, HealthReport } from "./service.ts";
