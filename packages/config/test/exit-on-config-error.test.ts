import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError, exitOnConfigError, formatConfigError } from "../src/index.ts";

const indexUrl = new URL("../src/index.ts", import.meta.url).href;

describe("exitOnConfigError", () => {
  it("prints the one message to stderr and exits 1, without a stack trace", () => {
    // A real process, as main.ts runs it: missing variables in a fresh environment.
    const script = `
      import { z } from "zod";
      import { exitOnConfigError, loadConfig, nowPaymentsEnv, telegramEnv } from ${JSON.stringify(indexUrl)};
      await loadConfig(z.object({ ...telegramEnv, ...nowPaymentsEnv }), {}).catch(exitOnConfigError);
      console.log("started");
    `;
    const child = spawnSync(process.execPath, ["--no-warnings", "--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      env: { PATH: process.env.PATH },
      encoding: "utf8",
    });
    expect(child.status).toBe(1);
    expect(child.stdout).toBe("");
    expect(child.stderr).toBe(
      [
        "Invalid configuration (3 problems):",
        "  - TELEGRAM_BOT_TOKEN: is required (or set TELEGRAM_BOT_TOKEN_SECRET)",
        "  - NOWPAYMENTS_API_KEY: is required (or set NOWPAYMENTS_API_KEY_SECRET)",
        "  - NOWPAYMENTS_IPN_SECRET: is required (or set NOWPAYMENTS_IPN_SECRET_SECRET)",
        "",
      ].join("\n"),
    );
  });

  it("re-throws anything that is not a ConfigError", () => {
    const boom = new Error("database exploded");
    const io = {
      stderr: { write: () => true },
      exit: (): never => {
        throw new Error("must not exit");
      },
    };
    expect(() => exitOnConfigError(boom, io)).toThrow(boom);
  });

  it("formats the problem list", () => {
    const err = new ConfigError([{ variable: "PORT", message: "must be at most 65535" }]);
    expect(formatConfigError(err)).toBe(
      "Invalid configuration (1 problem):\n  - PORT: must be at most 65535",
    );
  });
});
