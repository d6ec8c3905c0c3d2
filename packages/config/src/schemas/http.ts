import { httpUrl, integer } from "../fields.ts";

/** The HTTP listener and the public address webhook-ingress is reachable at (ipn_callback_url). */
export const httpEnv = {
  /** 0 picks a free port (tests). */
  PORT: integer(8080, 0, 65_535),
  PUBLIC_BASE_URL: httpUrl(),
};
