// finstream dashboard, managing part: the simulated-time badge, the budget
// form (PUT /v1/me/budgets/{category}), each budget's Edit and History, and
// the transactions list (GET /v1/me/transactions, from the Postgres sink).
// It reads app.js's state, api, el, money, pct and older.
"use strict";

const CATEGORIES = ["groceries", "dining", "transport", "shopping", "bills", "entertainment", "health", "travel",
  "education", "subscriptions", "transfers", "cash", "fees", "income", "other"];
const DECIMALS = (cur) => EXP[cur] ?? 2;

// showClock says "simulated time ×N" with the simulated date when
// run --simulate compresses time (GET /v1/clock).
async function showClock() {
  let c;
  try { const r = await fetch("/v1/clock"); if (!r.ok) return; c = await r.json(); } catch (e) { return; }
  if (!(c.time_scale > 1)) return;
  const origin = Date.parse(c.now), wall = Date.now();
  const tick = () => {
    const now = new Date(origin + (Date.now() - wall) * c.time_scale);
    $("clock").textContent = `simulated time ×${Math.round(c.time_scale)} · ${now.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  };
  $("clock").hidden = false;
  tick();
  setInterval(tick, 1000);
}

// toMinor turns "4000.50" into minor units without floating point.
function toMinor(text, cur) {
  const d = DECIMALS(cur), m = /^\s*(\d+)(?:[.,](\d*))?\s*$/.exec(text);
  if (!m || (m[2] || "").length > d) return null;
  return Number(m[1]) * 10 ** d + Number((m[2] || "").padEnd(d, "0") || 0);
}

function fillBudgetForm(b) {
  $("bf-category").value = b.category;
  $("bf-currency").value = b.currency;
  $("bf-period").value = b.period || "monthly";
  const d = DECIMALS(b.currency);
  $("bf-limit").value = d ? (b.limit_minor / 10 ** d).toFixed(d) : String(b.limit_minor);
  $("bf-limit").focus();
}

async function saveBudget(e) {
  e.preventDefault();
  const cat = $("bf-category").value, cur = $("bf-currency").value, limit = toMinor($("bf-limit").value, cur);
  if (limit == null) return feed("The limit must be an amount like 4000 or 4000.50", true);
  const r = await fetch("/v1/me/budgets/" + encodeURIComponent(cat), {
    method: "PUT", headers: { Authorization: "Bearer " + state.token },
    body: JSON.stringify({ limit_minor: limit, currency: cur, period: $("bf-period").value }) });
  const body = await r.json().catch(() => ({}));
  if (r.status !== 202) return feed(`Budget not saved: ${body.error?.message || r.status}`, true);
  feed(`Budget on ${cat} set to ${money(limit, cur)} — applying`, false);
  awaitBudget(cat, limit, body.min_version ?? 0, 3);
}

// awaitBudget reloads the budgets once the command is applied (through
// Kafka): the GET waits up to 5s for the version the 202 named
// (?min_version=&wait=); a stale answer asks again, tries times at most.
async function awaitBudget(cat, limit, minVersion, tries) {
  const mine = await api(`/v1/me/budgets?min_version=${minVersion}&wait=5s`);
  const b = mine.budgets.find((x) => x.category === cat);
  if (b && b.limit_minor === limit) {
    const prev = state.personal.get(b.budget_id);
    if (older(b, prev)) return; // a live update already brought a later version
    state.personal.set(b.budget_id, { ...prev, ...b });
    renderPersonal();
    return;
  }
  if (tries > 0) awaitBudget(cat, limit, minVersion, tries - 1);
}

async function showHistory(b) {
  const box = $("budget-history");
  box.hidden = false;
  box.replaceChildren(el("p", { class: "empty" }, "Loading the history of " + b.category + "…"));
  const r = await fetch(`/v1/me/budgets/${encodeURIComponent(b.category)}/history?limit=20`, { headers: { Authorization: "Bearer " + state.token } });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) return box.replaceChildren(el("p", { class: "empty" }, `No history for ${b.category}: ${body.error?.message || r.status}`));
  const t = el("table", { id: "history-" + b.category });
  t.append(el("tr", {}, el("th", {}, "version"), el("th", {}, "period"), el("th", {}, "what"), el("th", {}, "spent"), el("th", {}, "used")));
  for (const v of body.history) {
    const what = v.merchant ? `${v.merchant} ${money(v.amount_minor, v.currency)}` : `limit ${money(v.limit_minor, v.currency)}`;
    t.append(el("tr", { class: v.alert ? "alert" : "" }, el("td", {}, String(v.version)), el("td", {}, v.period_key),
      el("td", {}, what), el("td", { class: "amt" }, `${money(v.spent_minor, v.currency)} of ${money(v.limit_minor, v.currency)}`),
      el("td", { class: "amt" }, pct(v.used_bp))));
  }
  box.replaceChildren(el("h3", {}, "History of " + b.category), t);
}

// loadTransactions lists the newest transactions; without the Postgres
// sink the API answers 503 and the list says so. It returns the rows listed.
async function loadTransactions() {
  const tbody = el("tbody");
  const r = await fetch("/v1/me/transactions?limit=20", { headers: { Authorization: "Bearer " + state.token } });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) tbody.append(el("tr", {}, el("td", { class: "empty" }, body.error?.message || "transactions unavailable: " + r.status)));
  for (const t of body.transactions || [])
    tbody.append(el("tr", { id: "txn-" + t.txn_id },
      el("td", {}, new Date(t.posted_at).toISOString().slice(0, 10)),
      el("td", {}, t.merchant_name || t.type),
      el("td", { class: "cat" }, t.category, el("span", { class: "src" }, t.source)),
      el("td", { class: "amt" }, (t.direction === "CREDIT" ? "+" : "") + money(t.amount_minor, t.currency)),
      el("td", {}, t.status),
      el("td", { class: "move" }, recategorizer(t))));
  if (!tbody.children.length) tbody.append(el("tr", {}, el("td", { class: "empty" }, "No transactions yet.")));
  $("transactions").replaceChildren(tbody);
  return body.transactions || [];
}

// recategorizer is a transaction's "move to" control: a category and two
// answers, this one or all from this merchant (POST .../category with
// scope this|merchant).
function recategorizer(t) {
  const pick = el("select", { class: "to", "aria-label": "move to" });
  for (const c of CATEGORIES) pick.append(el("option", { value: c }, c));
  pick.value = t.category;
  const send = (scope) => async () => {
    const r = await fetch(`/v1/me/transactions/${encodeURIComponent(t.txn_id)}/category`, {
      method: "POST", headers: { Authorization: "Bearer " + state.token }, body: JSON.stringify({ category: pick.value, scope }) });
    const body = await r.json().catch(() => ({}));
    if (r.status !== 202) return feed(`Not moved: ${body.error?.message || r.status}`, true);
    feed(scope === "merchant" ? `Moving every ${t.merchant_name} transaction to ${pick.value}` : `Moving ${t.merchant_name} ${money(t.amount_minor, t.currency)} to ${pick.value}`, false);
    awaitMoved(t, scope, pick.value);
  };
  const one = el("button", { class: "this" }, "This one"), all = el("button", { class: "merchant" }, "All from " + (t.merchant_name || "merchant"));
  one.onclick = send("this"); all.onclick = send("merchant");
  return el("span", {}, pick, one, all);
}

// awaitMoved reloads the list until it shows the move: the sink writes the
// moved rows after the pipeline applied the correction, which takes seconds
// on a busy node. Once a second, for a minute at most.
async function awaitMoved(t, scope, to) {
  for (let i = 0; i < 60; i++) {
    await new Promise((done) => setTimeout(done, 1000));
    const txns = await loadTransactions().catch(() => null);
    const moved = (txns || []).filter((x) => scope === "merchant" ? x.merchant_name === t.merchant_name : x.txn_id === t.txn_id);
    if (moved.length && moved.every((x) => x.category === to)) return;
  }
  feed(`The list does not show the move to ${to} yet: it will on a later update`, true);
}

// The daily digest is opt-in: a checkbox over PUT /v1/me/notification-settings.
async function loadDigest() {
  const box = $("digest");
  try {
    const s = await api("/v1/me/notification-settings");
    box.checked = !!s.kinds?.daily_digest;
    box.disabled = false;
  } catch (e) { return; }
  box.onchange = async () => {
    const r = await fetch("/v1/me/notification-settings", { method: "PUT", headers: { Authorization: "Bearer " + state.token },
      body: JSON.stringify({ kinds: { daily_digest: box.checked } }) });
    feed(r.status === 202 ? `Daily digest ${box.checked ? "on: every morning from 08:00" : "off"}` : "Digest setting not saved: " + r.status, r.status !== 202);
  };
}

// Each personal budget card gets Edit and History buttons.
const plainRenderPersonal = renderPersonal;
renderPersonal = function () {
  plainRenderPersonal();
  for (const b of state.personal.values()) {
    const card = document.getElementById("budget-" + b.budget_id);
    if (!card) continue;
    const edit = el("button", { class: "edit" }, "Edit"), hist = el("button", { class: "history" }, "History");
    edit.onclick = () => fillBudgetForm(b);
    hist.onclick = () => showHistory(b).catch((e) => feed(e.message, true));
    card.append(el("div", { class: "actions" }, edit, hist));
  }
};

// The transactions list follows the app's loads (sign-in, membership
// changes) and every live update, debounced; the sink writes the row a
// little after the update reaches the page (seconds on a busy node), so it
// reloads twice more later.
const txnsPending = {};
const refreshTransactions = () => {
  for (const ms of [300, 2000, 8000])
    if (state.token && !txnsPending[ms]) txnsPending[ms] = setTimeout(() => { txnsPending[ms] = null; loadTransactions().catch(() => {}); }, ms);
};
const plainLoad = load;
load = async function () { await plainLoad(); refreshTransactions(); loadDigest(); };
const plainUpdate = onUpdate;
onUpdate = function (u) { plainUpdate(u); refreshTransactions(); };

window.addEventListener("DOMContentLoaded", () => {
  for (const c of CATEGORIES) $("bf-category").append(el("option", { value: c }, c));
  $("budget-form").addEventListener("submit", (e) => saveBudget(e).catch((err) => feed(err.message, true)));
  showClock();
});
