import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The embedded default keeps its internal signing secret in DATA_DIR/signing-secret (mode 0600),
 * created on first start. Unlike the legacy per-process random secret it is stable across restarts,
 * so the CLI (same DATA_DIR) can sign /jobs/* requests to the running process.
 */
export async function localSigningSecret(dataDir: string): Promise<{ secret: string; created: boolean }> {
  const file = join(dataDir, "signing-secret");
  try {
    const secret = (await readFile(file, "utf8")).trim();
    if (secret.length >= 32) return { secret, created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return { secret, created: true };
}
