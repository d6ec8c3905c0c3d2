/** Variables that may be given as X_SECRET = a Secret Manager resource name instead of X = the value. */
export const SECRET_VARIABLES = [
  "TELEGRAM_BOT_TOKEN",
  "TELEGRAM_WEBHOOK_SECRET",
  "NOWPAYMENTS_API_KEY",
  "NOWPAYMENTS_IPN_SECRET",
  "NOWPAYMENTS_EMAIL",
  "NOWPAYMENTS_PASSWORD",
  "WEBHOOK_SIGNING_SECRET",
  "DB_PASSWORD",
  "DATABASE_URL",
] as const;

/** The suffix that turns X into "X holds a Secret Manager resource name". */
export const SECRET_SUFFIX = "_SECRET";

const RESOURCE_NAME = /^projects\/[A-Za-z0-9_.:-]+\/secrets\/[A-Za-z0-9_-]+\/versions\/(latest|\d+)$/;

/** True for `projects/P/secrets/S/versions/V` (V a number or "latest"). */
export function isSecretVersionName(name: string): boolean {
  return RESOURCE_NAME.test(name);
}

/**
 * The one method of Google's SecretManagerServiceClient we call. Tests pass an object literal;
 * production gets the real client.
 */
export interface SecretManagerClient {
  accessSecretVersion(request: {
    name: string;
  }): Promise<readonly [{ payload?: { data?: Uint8Array | string | null } | null }, ...unknown[]]>;
}

/** Creates the real client on first use only: no credentials are looked up unless some X_SECRET is set. */
export async function defaultSecretManager(): Promise<SecretManagerClient> {
  const { SecretManagerServiceClient } = await import("@google-cloud/secret-manager");
  return new SecretManagerServiceClient();
}

/** Reads one secret version as trimmed UTF-8 text (a stored trailing newline is a classic mistake). */
export async function readSecretVersion(client: SecretManagerClient, name: string): Promise<string> {
  const [version] = await client.accessSecretVersion({ name });
  const data = version.payload?.data;
  if (data === undefined || data === null) return "";
  return (typeof data === "string" ? data : new TextDecoder().decode(data)).trim();
}
