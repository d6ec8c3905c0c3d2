type Events = typeof import("@telepay/events");
let events: Promise<Events> | undefined;

/**
 * @telepay/events, loaded on first use: its index also pulls in the Pub/Sub client (~0.5 s of
 * start-up), which short-lived processes (the CLI) should only pay for when they write an event.
 */
export const loadEvents = (): Promise<Events> => (events ??= import("@telepay/events"));
