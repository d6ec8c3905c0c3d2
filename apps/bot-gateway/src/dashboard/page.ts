import { dashboardTexts, type Locale } from "@telepay/telegram";

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );

/**
 * The dashboard's one HTML page. It holds no data: the initData Telegram puts in the URL fragment
 * never reaches the server with the page, so /dashboard/app.js reads it and calls the API with it.
 * The catalog's texts, in the owner's locale (the /mychannels button passes it as `?lang=`), ride
 * along as inert JSON (a `<script type="application/json">` is not run).
 */
export function dashboardPage(locale: Locale): string {
  const t = dashboardTexts(locale);
  // "<" is escaped inside the JSON so no text can close the script element.
  const texts = JSON.stringify(t).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(t.title)}</title>
<link rel="stylesheet" href="/dashboard/app.css">
</head>
<body>
<main id="app" aria-live="polite"><p class="hint">${escapeHtml(t.loading)}</p></main>
<script type="application/json" id="texts">${texts}</script>
<script src="/dashboard/app.js"></script>
</body>
</html>
`;
}
