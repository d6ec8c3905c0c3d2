import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startPubSubEmulator } from "./emulator-process.ts";

describe("startPubSubEmulator", () => {
  it("starts a private emulator that answers, and stops it", async () => {
    const emulator = await startPubSubEmulator();
    try {
      const res = await fetch(`http://${emulator.host}/v1/projects/telepay-test/topics/emulator-check`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { name: string }).name).toBe(
        "projects/telepay-test/topics/emulator-check",
      );
    } finally {
      await emulator.stop();
    }
    await expect(fetch(`http://${emulator.host}/`)).rejects.toThrow();
  }, 90_000);

  it("also starts from a class path with extra entries first (the diagnostic launch)", async () => {
    const extra = mkdtempSync(join(tmpdir(), "emulator-classpath-"));
    const emulator = await startPubSubEmulator({ classpathPrefix: [extra] });
    try {
      const res = await fetch(`http://${emulator.host}/v1/projects/telepay-test/topics/classpath-check`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      expect(res.status).toBe(200);
    } finally {
      await emulator.stop();
    }
  }, 90_000);
});
