import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { embeddedPaths, readLock } from "@telepay/db";
// The subpath holds only the signer (node:crypto), so the CLI does not load the middleware stack.
import { pathWithQuery, signInternalRequest } from "@telepay/security/internal-signature";
import { CliError } from "./args.ts";
import type { CommandContext } from "./command.ts";

/**
 * Calls the notifier's signed `POST /jobs/<job>` — the request Cloud Scheduler triggers through
 * the `telepay` job (Scheduler cannot compute a per-request HMAC itself, see infra/README.md).
 *
 * Target: NOTIFIER_URL + WEBHOOK_SIGNING_SECRET; on the embedded default with `pnpm start`
 * running, that process on 127.0.0.1:$PORT with the secret it keeps in DATA_DIR/signing-secret.
 * NOTIFIER_AUTH=google-id-token adds a Google ID token for a notifier that only accepts
 * authenticated callers (Cloud Run IAM), fetched from the metadata server of the job running us.
 */
export async function postNotifierJob(
  ctx: CommandContext,
  job: "sweep" | "relay" | "redrive",
  body: object,
): Promise<unknown> {
  const env = await ctx.env();
  let base = env.NOTIFIER_URL;
  let secret = env.WEBHOOK_SIGNING_SECRET;
  const embedded = !env.DATABASE_URL && !env.CLOUD_SQL_CONNECTION_NAME;
  if (embedded && (!base || !secret)) {
    const lock = await readLock(embeddedPaths(env.DATA_DIR).lockFile);
    if (lock?.mode === "serve") {
      base ??= `http://127.0.0.1:${env.PORT}`;
      secret ??=
        (await readFile(join(env.DATA_DIR, "signing-secret"), "utf8").catch(() => "")).trim() || undefined;
    }
  }
  if (!base || !secret) {
    throw new CliError(
      `a real ${job} runs in the notifier: start TelePay (pnpm start) or set NOTIFIER_URL and WEBHOOK_SIGNING_SECRET`,
    );
  }
  const url = `${base}/jobs/${job}`;
  const raw = JSON.stringify(body);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-signature": signInternalRequest({ method: "POST", path: pathWithQuery(url), body: raw }, secret),
  };
  if (env.NOTIFIER_AUTH === "google-id-token") headers.authorization = `Bearer ${await googleIdToken(base)}`;
  if (ctx.stderr.isTTY) ctx.stderr.write(`${job} via ${url} …`);
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", headers, body: raw, signal: AbortSignal.timeout(300_000) });
  } catch (error) {
    const reason = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new CliError(`cannot reach the notifier at ${url}: ${reason}`);
  } finally {
    if (ctx.stderr.isTTY) ctx.stderr.write("\r\x1b[K");
  }
  const text = await response.text();
  if (!response.ok)
    throw new CliError(`the notifier answered ${response.status} to ${url}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function googleIdToken(audience: string): Promise<string> {
  const url = `http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/identity?audience=${encodeURIComponent(audience)}`;
  try {
    const res = await fetch(url, {
      headers: { "metadata-flavor": "Google" },
      signal: AbortSignal.timeout(5_000),
    });
    if (!res.ok) throw new Error(`metadata server answered ${res.status}`);
    return (await res.text()).trim();
  } catch (error) {
    throw new CliError(`NOTIFIER_AUTH=google-id-token but no ID token: ${(error as Error).message}`);
  }
}
