export { type DeepLink, deepLinkPayload, deepLinkUrl, parseDeepLink } from "./deep-links.ts";
