import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

it("importing the core does not load the Pub/Sub client (every CLI command would pay ~0.5 s for it)", () => {
  const script = `
    import { createRequire } from "node:module";
    const pubsub = () => Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes("@google-cloud/pubsub")).length;
    await import("@telepay/commerce");
    const core = pubsub();
    // Creating a Pub/Sub bus loads the client (and opens nothing): the probe can see it.
    const bus = await (await import("@telepay/events")).createPubSubBus({ projectId: "startup-probe" });
    const events = pubsub();
    await bus.close();
    console.log(JSON.stringify({ core, events }));`;
  const out = execFileSync(process.execPath, ["--no-warnings", "--input-type=module", "-e", script], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    encoding: "utf8",
  });
  // The second number shows the check can see the client when it is loaded.
  expect(JSON.parse(out)).toMatchObject({ core: 0, events: expect.any(Number) });
  expect(JSON.parse(out).events).toBeGreaterThan(0);
}, 60_000);
