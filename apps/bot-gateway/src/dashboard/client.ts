/**
 * The dashboard's whole client: one small script (no framework, no build step), served as
 * /dashboard/app.js. It reads the Mini App launch parameters from the URL fragment (or
 * `Telegram.WebApp` when Telegram's script is present), follows the theme Telegram passes, calls
 * the JSON API with `Authorization: tma <initData>`, and draws the charts as inline SVG. Every
 * text comes from the catalog JSON in the page and is set with textContent, never as HTML.
 * Kept as a string (no backticks or dollar-braces inside) so the packaged bundle carries it.
 */
export const DASHBOARD_JS = String.raw`(function () {
  "use strict";
  var T = JSON.parse(document.getElementById("texts").textContent);
  var launch = new URLSearchParams(location.hash.slice(1));
  var tg = window.Telegram && window.Telegram.WebApp;
  var initData = (tg && tg.initData) || launch.get("tgWebAppData") || "";
  var app = document.getElementById("app");
  var SVG = "http://www.w3.org/2000/svg";

  function parseJson(s) { try { return s ? JSON.parse(s) : null; } catch (e) { return null; } }
  function fmt(s, vars) { return String(s).replace(/\{(\w+)\}/g, function (m, k) { return vars && k in vars ? String(vars[k]) : m; }); }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "onclick") node.addEventListener("click", attrs[k]);
      else node.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    return node;
  }

  // Telegram's theme: its colours become CSS variables; a dark background turns on the dark palette.
  function applyTheme(theme) {
    var root = document.documentElement;
    var map = { bg_color: "--bg", text_color: "--text", hint_color: "--hint", link_color: "--link",
      button_color: "--button", button_text_color: "--button-text", secondary_bg_color: "--card" };
    for (var k in map) if (theme && theme[k]) root.style.setProperty(map[k], theme[k]);
    var bg = theme && theme.bg_color;
    var scheme = (tg && tg.colorScheme) || launch.get("tgWebAppColorScheme");
    if (!scheme && bg && /^#[0-9a-f]{6}$/i.test(bg)) {
      var n = parseInt(bg.slice(1), 16);
      var lum = (0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
      scheme = lum < 0.5 ? "dark" : "light";
    }
    if (scheme) root.setAttribute("data-theme", scheme);
  }
  applyTheme((tg && tg.themeParams) || parseJson(launch.get("tgWebAppThemeParams")) || {});
  if (tg && tg.ready) tg.ready();

  function call(method, path, body) {
    var init = { method: method, headers: { authorization: "tma " + initData } };
    if (body) { init.headers["content-type"] = "application/json"; init.body = JSON.stringify(body); }
    return fetch("/dashboard/api" + path, init).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (res.ok) return json;
        var message = (json.error && json.error.message) || "";
        var err = new Error(message);
        err.status = res.status;
        throw err;
      });
    });
  }
  function refusal(err) {
    if (err.status === 401) {
      if (/missing/.test(err.message)) return T.refusedMissing;
      if (/stale|from_future/.test(err.message)) return T.refusedStale;
      return T.refusedForged;
    }
    if (err.status === 403) return /^rights/.test(err.message) ? T.refusedRights : T.refusedNotOwner;
    if (err.status === 400) return fmt(T.invalidInput, { reason: err.message });
    return T.failed;
  }
  function showError(err) {
    app.replaceChildren(el("p", { class: "error", role: "alert", "data-error": String(err.status || ""), text: refusal(err) }));
  }

  function railName(series) { return (series.split(":")[0] === "stars" ? T.railStars : T.railCrypto) + " · " + series.split(":")[1]; }
  function months(report) { return report.subscribers.months.map(function (m) { return m.month; }); }
  function days(asOf, n) {
    var out = [];
    var end = Date.parse(asOf.slice(0, 10) + "T00:00:00Z");
    for (var i = n - 1; i >= 0; i--) out.push(new Date(end - i * 86400000).toISOString().slice(0, 10));
    return out;
  }

  // Bars of one series; every bar carries its period and exact amount for tests and tooltips.
  function barChart(name, periods, points, series) {
    var byPeriod = {};
    points.forEach(function (p) { if (p.series === series) byPeriod[p.period] = p.amount; });
    var max = 0;
    periods.forEach(function (p) { max = Math.max(max, Number(byPeriod[p] || 0)); });
    var W = 320, H = 120, gap = 2, bw = (W - gap * periods.length) / periods.length;
    var chart = svg("svg", { viewBox: "0 0 " + W + " " + (H + 14), class: "chart", role: "img",
      "data-chart": name, "data-series": series, "aria-label": name + " " + series });
    periods.forEach(function (p, i) {
      var amount = byPeriod[p] || "0";
      var h = max > 0 ? Math.max(Number(amount) > 0 ? 2 : 0, (Number(amount) / max) * H) : 0;
      var rect = svg("rect", { x: (i * (bw + gap)).toFixed(2), y: (H - h).toFixed(2), width: bw.toFixed(2),
        height: h.toFixed(2), rx: 1.5, class: "bar", "data-period": p, "data-amount": amount });
      var title = svg("title", {});
      title.textContent = p + ": " + amount;
      rect.appendChild(title);
      chart.appendChild(rect);
    });
    [0, periods.length - 1].forEach(function (i) {
      var label = svg("text", { x: i === 0 ? 0 : W, y: H + 12, class: "axis", "text-anchor": i === 0 ? "start" : "end" });
      label.textContent = periods[i] || "";
      chart.appendChild(label);
    });
    return chart;
  }

  function pairChart(report) {
    var ms = report.subscribers.months;
    var max = 1;
    ms.forEach(function (m) { max = Math.max(max, m.new, m.churned); });
    var W = 320, H = 100, slot = W / ms.length, bw = slot / 2 - 2;
    var chart = svg("svg", { viewBox: "0 0 " + W + " " + (H + 14), class: "chart", role: "img", "data-chart": "subscribers" });
    ms.forEach(function (m, i) {
      var hn = (m.new / max) * H, hc = (m.churned / max) * H;
      chart.appendChild(svg("rect", { x: (i * slot).toFixed(2), y: (H - hn).toFixed(2), width: bw.toFixed(2), height: hn.toFixed(2),
        class: "bar new", "data-month": m.month, "data-new": m.new }));
      chart.appendChild(svg("rect", { x: (i * slot + bw + 1).toFixed(2), y: (H - hc).toFixed(2), width: bw.toFixed(2), height: hc.toFixed(2),
        class: "bar churned", "data-month": m.month, "data-churned": m.churned }));
    });
    return chart;
  }

  function section(title, children, attrs) {
    var a = attrs || {};
    a.class = "card";
    return el("section", a, [el("h2", { text: title })].concat(children));
  }
  function stat(label, value, key) {
    return el("div", { class: "stat", "data-stat": key }, [el("span", { class: "hint", text: label }), el("strong", { text: value })]);
  }

  function tierLabel(data, tierId) {
    if (tierId === null) return T.donations;
    var t = data.tierNames[tierId];
    if (!t) return "#" + tierId;
    return t.active ? t.label : fmt(T.tierRetired, { label: t.label });
  }

  function revenueSection(data) {
    var report = data.report;
    var series = [];
    data.charts.monthly.concat(data.charts.daily).forEach(function (p) { if (series.indexOf(p.series) < 0) series.push(p.series); });
    series.sort();
    if (series.length === 0) return section(T.revenueMonthly, [el("p", { class: "hint", text: T.noRevenue })], { "data-section": "revenue" });
    var parts = [];
    series.forEach(function (s) {
      parts.push(el("h3", { text: railName(s) }));
      parts.push(barChart("monthly", months(report), data.charts.monthly, s));
      parts.push(el("p", { class: "hint", text: T.revenueDaily }));
      parts.push(barChart("daily", days(report.asOf, 30), data.charts.daily, s));
      var rows = data.byTier.filter(function (r) { return r.series === s; }).map(function (r) {
        return el("tr", { "data-tier": r.tierId === null ? "donations" : String(r.tierId), "data-series": s }, [
          el("td", { text: tierLabel(data, r.tierId) }),
          el("td", { class: "num", text: r.amount }),
          el("td", { class: "num hint", text: fmt(T.orders, { n: r.orders }) })]);
      });
      parts.push(el("table", { class: "tiers" }, [el("caption", { text: T.byTier })].concat(rows)));
    });
    return section(T.revenueMonthly, parts, { "data-section": "revenue" });
  }

  function subscribersSection(report) {
    var mrr = report.subscribers.mrr.map(function (m) { return m.amount + " " + m.currency; }).join(" · ") || T.mrrNone;
    return section(T.subscribers, [
      el("div", { class: "stats" }, [stat(T.activeNow, String(report.subscribers.active), "active"), stat(T.mrr, mrr, "mrr")]),
      el("p", { class: "hint", text: T.newVsChurned }),
      pairChart(report),
      el("p", { class: "legend" }, [el("span", { class: "key new", text: T.newLabel }), el("span", { class: "key churned", text: T.churnedLabel })]),
    ], { "data-section": "subscribers" });
  }

  function funnelSection(report) {
    var f = report.funnel;
    var top = Math.max(1, f.offersOpened, f.invoices);
    var steps = [[T.funnelOpened, f.offersOpened, "opened"], [T.funnelInvoices, f.invoices, "invoices"], [T.funnelPaid, f.paid, "paid"]];
    return section(T.funnel, steps.map(function (s) {
      return el("div", { class: "step", "data-step": s[2], "data-count": String(s[1]) }, [
        el("span", { text: s[0] }), el("strong", { text: String(s[1]) }),
        el("div", { class: "meter", style: "width:" + Math.round((s[1] / top) * 100) + "%" })]);
    }), { "data-section": "funnel" });
  }

  // Each open review gets the review DM's two actions; dismissing asks for an optional note first.
  function reviewsSection(data) {
    var report = data.report;
    var items = report.reviews.map(function (r) {
      var message = el("span", { class: "hint", role: "status", "data-role": "review-message" });
      var note = el("input", { name: "note", "aria-label": T.reviewNote, placeholder: T.reviewNote, maxlength: "500", hidden: "" });
      var buttons = el("div", { class: "actions" });
      function decide(decision) {
        message.textContent = T.loading;
        var body = { decision: decision, reason: r.reason || "" };
        if (decision === "dismiss" && note.value.trim()) body.note = note.value.trim();
        call("POST", "/channels/" + data.channel.id + "/reviews/" + encodeURIComponent(r.paymentId), body).then(function () {
          buttons.remove(); note.remove();
          message.textContent = decision === "grant" ? T.reviewGranted : T.reviewDismissed;
          message.setAttribute("data-resolved", decision);
        }, function (err) {
          message.textContent = err.status === 409 ? fmt(T.reviewConflict, { reason: err.message }) : refusal(err);
          message.setAttribute("data-resolved", "0");
        });
      }
      buttons.append(
        el("button", { type: "button", class: "primary", "data-action": "grant", text: T.reviewGrant, onclick: function () { decide("grant"); } }),
        el("button", { type: "button", class: "link", "data-action": "dismiss", text: T.reviewDismiss, onclick: function () {
          if (note.hasAttribute("hidden")) { note.removeAttribute("hidden"); note.focus(); return; }
          decide("dismiss");
        } }));
      return el("li", { "data-payment": r.paymentId }, [
        el("strong", { text: (r.amount || "?") + " " + (r.currency || "") }),
        el("span", { class: "hint", text: " " + r.status + (r.reason ? " · " + r.reason : "") + " · " + r.orderReference }),
        note, buttons, message]);
    });
    return section(T.reviews, [
      items.length ? el("ul", { class: "reviews" }, items) : el("p", { class: "hint", text: T.reviewsNone }),
      el("p", { class: "hint", text: T.reviewsHelp })], { "data-section": "reviews" });
  }

  function trialsSection(report) {
    var t = report.trials;
    return section(T.trials, [el("div", { class: "stats" }, [
      stat(T.trialsStarted, String(t.started), "trials-started"),
      stat(T.trialsConverted, String(t.converted), "trials-converted")])], { "data-section": "trials" });
  }

  function promosSection(data) {
    var rows = data.promos.map(function (p) {
      var off = p.percentOff !== null ? p.percentOff + "%" : p.amountOff + " " + (data.tiers[0] ? data.tiers[0].currency : "");
      var uses = p.maxUses !== null ? fmt(T.promoUsesOf, { uses: p.uses, max: p.maxUses }) : fmt(T.promoUses, { uses: p.uses });
      var notes = [uses];
      if (p.expiresAt) notes.push(fmt(T.promoExpires, { date: p.expiresAt.slice(0, 10) }));
      if (!p.active) notes.push(T.promoDisabled);
      return el("li", { "data-promo": p.code, "data-uses": String(p.uses), "data-active": String(p.active) }, [
        el("strong", { text: p.code + " −" + off }), el("span", { class: "hint", text: " " + notes.join(" · ") })]);
    });
    return section(T.promos, [rows.length ? el("ul", { class: "reviews" }, rows) : el("p", { class: "hint", text: T.promosNone })],
      { "data-section": "promos" });
  }

  function tiersSection(data) {
    var list = el("div", { class: "tier-rows" });
    var message = el("p", { class: "hint", role: "status", "data-role": "tier-message" });
    function row(t) {
      var r = el("div", { class: "tier-row" }, [
        el("input", { name: "label", "aria-label": T.tierLabel, placeholder: T.tierLabel, value: t.label, maxlength: "64" }),
        el("input", { name: "price", "aria-label": T.tierPrice, placeholder: T.tierPrice, value: t.price, inputmode: "decimal" }),
        el("input", { name: "days", "aria-label": T.tierDays, placeholder: T.tierDays, value: String(t.days), inputmode: "numeric" })]);
      r.appendChild(el("button", { type: "button", class: "link", text: T.removeTier, onclick: function () { r.remove(); } }));
      list.appendChild(r);
    }
    data.tiers.forEach(row);
    function save() {
      var tiers = Array.prototype.map.call(list.querySelectorAll(".tier-row"), function (r) {
        return { label: r.querySelector("[name=label]").value, price: r.querySelector("[name=price]").value,
          days: Number(r.querySelector("[name=days]").value) };
      });
      message.textContent = T.loading;
      call("PUT", "/channels/" + data.channel.id + "/tiers", { tiers: tiers }).then(function (res) {
        list.replaceChildren();
        res.tiers.forEach(row);
        message.textContent = T.savedTiers;
        message.setAttribute("data-saved", "1");
      }, function (err) { message.textContent = refusal(err); message.setAttribute("data-saved", "0"); });
    }
    return section(T.tiers, [list,
      el("div", { class: "actions" }, [
        el("button", { type: "button", class: "link", text: T.addTier, onclick: function () { row({ label: "", price: "", days: 30 }); } }),
        el("button", { type: "button", class: "primary", text: T.saveTiers, onclick: save })]),
      message], { "data-section": "tiers" });
  }

  function render(data) {
    var report = data.report;
    app.replaceChildren(
      el("header", {}, [el("h1", { text: data.channel.title }), el("p", { class: "hint", text: fmt(T.status, { status: data.channel.status }) })]),
      revenueSection(data), subscribersSection(report), funnelSection(report), trialsSection(report), reviewsSection(data), tiersSection(data), promosSection(data),
      el("p", { class: "hint foot", text: fmt(T.asOf, { time: report.asOf.slice(0, 16).replace("T", " ") }) }));
    app.setAttribute("data-loaded", String(data.channel.id));
  }

  function choose(list) {
    if (list.channels.length === 0) return app.replaceChildren(el("p", { class: "hint", text: T.noChannels }));
    if (list.channels.length === 1) return open(list.channels[0].id);
    app.replaceChildren(section(T.chooseChannel, [el("ul", { class: "channels" }, list.channels.map(function (c) {
      return el("li", {}, [el("a", { href: "?channel=" + c.id + location.hash, text: c.title || c.openTitle })]);
    }))]));
  }
  function open(id) { return call("GET", "/channels/" + id).then(render); }

  var wanted = new URLSearchParams(location.search).get("channel") || launch.get("tgWebAppStartParam");
  (wanted && /^\d+$/.test(wanted) ? open(wanted) : call("GET", "/channels").then(choose)).catch(showError);
})();
`;

/** The dashboard's stylesheet: Telegram's theme variables with light and dark fallbacks, phone first. */
export const DASHBOARD_CSS = `:root {
  --bg: #ffffff; --text: #1c1c1e; --hint: #707579; --link: #2481cc; --button: #2481cc;
  --button-text: #ffffff; --card: #f1f1f4; --new: #31a24c; --churned: #e0533d;
  color-scheme: light;
}
:root[data-theme="dark"] { color-scheme: dark; --new: #4cc36a; --churned: #ff6b57; }
@media (prefers-color-scheme: dark) {
  :root:not([data-theme]) { --bg: #17212b; --text: #f5f5f5; --hint: #8a99a8; --link: #6ab3f3;
    --button: #5288c1; --card: #232e3c; color-scheme: dark; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 15px/1.4 -apple-system, system-ui, "Segoe UI", Roboto, sans-serif; }
main { max-width: 640px; margin: 0 auto; padding: 12px 12px 32px; }
h1 { font-size: 20px; margin: 4px 0 0; }
h2 { font-size: 16px; margin: 0 0 8px; }
h3 { font-size: 14px; margin: 12px 0 4px; }
.hint { color: var(--hint); font-size: 13px; margin: 4px 0; }
.error { color: var(--churned); padding: 16px; }
.card { background: var(--card); border-radius: 12px; padding: 12px; margin: 12px 0; }
.chart { width: 100%; height: auto; display: block; }
.bar { fill: var(--button); }
.bar.new { fill: var(--new); }
.bar.churned { fill: var(--churned); }
.axis { fill: var(--hint); font-size: 9px; }
.stats { display: flex; gap: 12px; flex-wrap: wrap; }
.stat { flex: 1 1 120px; display: flex; flex-direction: column; }
.stat strong { font-size: 20px; }
table.tiers { width: 100%; border-collapse: collapse; margin-top: 8px; font-size: 14px; }
table.tiers caption { text-align: left; color: var(--hint); font-size: 13px; }
table.tiers td { padding: 4px 0; border-top: 1px solid color-mix(in srgb, var(--hint) 25%, transparent); }
.num { text-align: right; white-space: nowrap; }
.legend { display: flex; gap: 12px; font-size: 13px; margin: 4px 0 0; }
.key::before { content: ""; display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
.key.new::before { background: var(--new); }
.key.churned::before { background: var(--churned); }
.step { display: grid; grid-template-columns: 1fr auto; gap: 2px 8px; margin: 6px 0; }
.meter { grid-column: 1 / -1; height: 6px; border-radius: 3px; background: var(--button); min-width: 2px; }
.reviews { margin: 0; padding-left: 18px; }
.tier-row { display: grid; grid-template-columns: 1fr 5.5em 4em auto; gap: 6px; margin: 6px 0; }
input { width: 100%; padding: 8px; border-radius: 8px; border: 1px solid color-mix(in srgb, var(--hint) 40%, transparent);
  background: var(--bg); color: var(--text); font: inherit; }
button { font: inherit; border: 0; border-radius: 8px; padding: 8px 12px; cursor: pointer; }
button.primary { background: var(--button); color: var(--button-text); }
button.link { background: transparent; color: var(--link); padding: 8px 4px; }
.actions { display: flex; justify-content: space-between; margin-top: 8px; }
a { color: var(--link); }
`;
