import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { stopOnSignals } from "./shutdown.ts";

function setUp(timeoutMs = 1_000) {
  const signals = new EventEmitter();
  const logs: string[] = [];
  const exits: number[] = [];
  const logger = {
    info: (_: object, message: string) => void logs.push(message),
    error: (_: object, message: string) => void logs.push(`error: ${message}`),
  };
  const { promise: exited, resolve } = Promise.withResolvers<number>();
  const shutdown = stopOnSignals({
    logger,
    timeoutMs,
    signals,
    exit: (code) => {
      exits.push(code);
      resolve(code);
    },
  });
  return { signals, logs, exits, exited, shutdown };
}

describe("stopOnSignals", () => {
  it("on SIGTERM runs the steps newest first, once, then exits 0", async () => {
    const { signals, exits, exited, shutdown } = setUp();
    const ran: string[] = [];
    shutdown.add("database", () => void ran.push("database"));
    shutdown.add("bus", async () => {
      await new Promise((r) => setTimeout(r, 20));
      ran.push("bus");
    });
    shutdown.add("server", () => void ran.push("server"));
    signals.emit("SIGTERM");
    signals.emit("SIGINT"); // a second signal while stopping changes nothing
    expect(await exited).toBe(0);
    expect(ran).toEqual(["server", "bus", "database"]);
    expect(exits).toEqual([0]);
    expect(shutdown.stopping).toBe(true);
  });

  it("a signal during start-up closes what has opened so far", async () => {
    const { signals, exited, shutdown } = setUp();
    const ran: string[] = [];
    shutdown.add("database", () => void ran.push("database"));
    signals.emit("SIGTERM");
    expect(await exited).toBe(0);
    expect(ran).toEqual(["database"]);
  });

  it("a failing step does not stop the others; the exit code says it failed", async () => {
    const { signals, logs, exited, shutdown } = setUp();
    const ran: string[] = [];
    shutdown.add("database", () => void ran.push("database"));
    shutdown.add("relay", () => {
      throw new Error("bus gone");
    });
    signals.emit("SIGINT");
    expect(await exited).toBe(1);
    expect(ran).toEqual(["database"]);
    expect(logs).toContain("error: shutdown step failed");
  });

  it("exits 1 when the steps outlast the time allowed", async () => {
    const { signals, logs, exited, shutdown } = setUp(50);
    shutdown.add("hung", () => new Promise(() => {}));
    signals.emit("SIGTERM");
    expect(await exited).toBe(1);
    expect(logs).toContain("error: shutdown took too long; exiting");
  });
});
