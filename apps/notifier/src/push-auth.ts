import { errorResponse } from "@telepay/security";
import type { OAuth2Client } from "google-auth-library";
import type { MiddlewareHandler } from "hono";

export interface PushAuthOptions {
  /** Verify the push request's OIDC token. Off only against the emulator, which sends none. */
  verify: boolean;
  /** Expected audience (the subscription's push audience, usually the endpoint URL). */
  audience?: string;
  /** The push subscription's service account e-mail; the token must be issued for it. */
  serviceAccountEmail?: string;
  /** Injected verifier (tests); default google-auth-library's OAuth2Client. */
  client?: Pick<OAuth2Client, "verifyIdToken">;
}

/**
 * Authenticates Pub/Sub push requests: `Authorization: Bearer <Google-signed OIDC token>`,
 * verified with OAuth2Client.verifyIdToken (signature against Google's certificates, expiry,
 * audience), then the `email` claim must be the push subscription's service account and verified.
 * Misconfiguration (verification on but no audience/e-mail) fails at start-up, not per request.
 * google-auth-library is imported on the first request to verify, so a notifier that never
 * verifies a push token (pull or in-process consumption, verification off) never loads it.
 */
export function pushAuth(options: PushAuthOptions): MiddlewareHandler {
  if (!options.verify) {
    return async function pushAuthDisabled(_c, next) {
      await next();
    };
  }
  const { audience, serviceAccountEmail } = options;
  if (!audience || !serviceAccountEmail) {
    throw new TypeError(
      "pushAuth: audience and serviceAccountEmail are required when OIDC verification is on",
    );
  }
  let verifier: Promise<Pick<OAuth2Client, "verifyIdToken">> | undefined = options.client
    ? Promise.resolve(options.client)
    : undefined;
  const loadVerifier = () => {
    if (!verifier) {
      const loading = import("google-auth-library").then(({ OAuth2Client }) => new OAuth2Client());
      // A failed load answers 500 (the error handler) and is tried again on the next request.
      loading.catch(() => {
        if (verifier === loading) verifier = undefined;
      });
      verifier = loading;
    }
    return verifier;
  };
  return async function pushAuth(c, next) {
    const header = c.req.header("authorization") ?? "";
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return errorResponse(c, "UNAUTHORIZED", "missing bearer token");
    let email: string | undefined;
    let verified = false;
    const client = await loadVerifier();
    try {
      const ticket = await client.verifyIdToken({ idToken: m[1]!, audience });
      const payload = ticket.getPayload();
      email = payload?.email;
      verified = payload?.email_verified === true;
    } catch {
      return errorResponse(c, "UNAUTHORIZED", "invalid push token");
    }
    if (!verified || email !== serviceAccountEmail) {
      return errorResponse(c, "FORBIDDEN", "push token is not from the expected service account");
    }
    await next();
  };
}
