// finstream dashboard: budgets as progress bars, live over the WebSocket.
"use strict";

// conversation: this page's conversation with the assistant, named here so
// that its answers streamed over the WebSocket are known as this page's.
const conversation = "d_" + Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");
const state = { token: null, user: null, personal: new Map(), shared: new Map(), ws: null, retry: 0, conversation };
const $ = (id) => document.getElementById(id);
const SYMBOLS = { THB: "฿", USD: "$", EUR: "€", GBP: "£", JPY: "¥", SGD: "S$" };
const EXP = { JPY: 0, KRW: 0, VND: 0 };

function money(minor, cur) {
  const exp = EXP[cur] ?? 2, neg = minor < 0, abs = Math.abs(minor);
  const whole = Math.floor(abs / 10 ** exp), frac = abs % 10 ** exp;
  let s = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  if (frac) s += "." + frac.toString().padStart(exp, "0");
  return (neg ? "-" : "") + (SYMBOLS[cur] ?? cur + " ") + s;
}
const pct = (bp) => (Math.round(bp / 10) / 10).toFixed(1) + "%";
const level = (bp) => (bp >= 10000 ? "bad" : bp >= 8000 ? "warn" : "ok");
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) k === "class" ? (e.className = v) : e.setAttribute(k, v);
  for (const k of kids) e.append(k);
  return e;
};

async function api(path, opts = {}) {
  const r = await fetch(path, { ...opts, headers: { Authorization: "Bearer " + state.token, ...(opts.headers || {}) } });
  if (!r.ok) throw new Error(path + ": " + r.status);
  return r.json();
}

function bar(b, label) {
  const used = b.used_bp ?? 0;
  const card = el("div", { class: "card", id: label.id, "data-used-bp": used });
  const inner = el("div", { class: level(used) });
  inner.style.width = Math.min(100, used / 100) + "%";
  card.append(
    el("div", { class: "top" }, el("span", { class: "name" }, label.name), el("span", { class: "pct" }, pct(used))),
    el("div", { class: "bar" }, inner),
    el("div", { class: "nums" }, `${money(b.spent_minor, b.currency)} of ${money(b.limit_minor, b.currency)} · ` +
      (b.remaining_minor >= 0 ? `${money(b.remaining_minor, b.currency)} left` : `${money(-b.remaining_minor, b.currency)} over`) +
      (b.days_left != null ? ` · ${b.days_left} days left` : "")));
  if (b.safe_to_spend_minor != null && b.pace)
    card.append(el("div", { class: "plan" }, el("span", { class: "safe" }, `${money(b.safe_to_spend_minor, b.currency)} safe to spend`),
      b.commitments_minor ? ` (after ${money(b.commitments_minor, b.currency)} of recurring payments)` : "",
      " · pace: ", el("span", { class: "pace pace-" + b.pace }, b.pace === "too_fast" ? "too fast" : "on track"),
      b.rollover ? ` · rollover ${money(b.rollover_minor || 0, b.currency)}` : "",
      b.period_anchor_day > 1 ? ` · pay-month from day ${b.period_anchor_day}` : ""));
  return card;
}

// renderSafeTotal shows the overall safe-to-spend of GET /v1/me/budgets,
// or the sum of the budgets shown (after live updates) in that currency.
function renderSafeTotal() {
  const box = $("safe-total"), list = [...state.personal.values()].filter((b) => b.safe_to_spend_minor != null);
  box.hidden = !list.length;
  if (!list.length) return;
  const cur = state.safeCurrency || list[0].currency;
  const sum = list.filter((b) => b.currency === cur).reduce((n, b) => n + b.safe_to_spend_minor, 0);
  box.replaceChildren("Safe to spend across your budgets: ", el("b", { id: "safe-total-amount" }, money(sum, cur)));
}

// loadAlerts lists the recent alerts, each with a link to its explanation.
async function loadAlerts() {
  let list;
  try { list = (await api("/v1/me/alerts")).alerts || []; } catch (e) { return; }
  const ul = $("alerts"); ul.replaceChildren();
  for (const a of list) {
    const link = el("a", { href: "#alert=" + encodeURIComponent(a.alert_id), class: "explain", "data-alert-id": a.alert_id }, "Why?");
    link.onclick = (e) => { e.preventDefault(); explain(a.alert_id); };
    const label = a.kind === "pace" ? "Pace" : pct(a.threshold_bp);
    ul.append(el("li", { class: a.kind === "pace" || a.threshold_bp >= 8000 ? "warning" : "" },
      el("span", { class: "alert-kind" }, label), a.text, link));
  }
  if (!ul.children.length) ul.append(el("li", { class: "empty" }, "No alerts yet."));
}

// explain shows GET /v1/me/alerts/{id}: the transactions that built the
// spend (with the source of each category), the threshold, pace and rule.
async function explain(id) {
  const box = $("explanation");
  let a;
  try { a = await api("/v1/me/alerts/" + encodeURIComponent(id)); } catch (e) { box.hidden = false; box.textContent = e.message; return; }
  const x = a.explanation || { transactions: [] };
  const rows = x.transactions.map((t) => el("tr", {}, el("td", {}, new Date(t.posted_at).toLocaleDateString()), el("td", {}, t.merchant || t.txn_id),
    el("td", {}, t.category), el("td", {}, t.source), el("td", { class: "amt" }, money(t.amount_minor, a.currency))));
  box.replaceChildren(
    el("div", { class: "top" }, el("span", { class: "name" }, "Why: " + a.text)),
    el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "Date"), el("th", {}, "Merchant"), el("th", {}, "Category"), el("th", {}, "Source"),
      el("th", {}, "Amount"))), el("tbody", {}, ...rows)),
    el("div", { class: "nums" }, (x.truncated ? `The ${x.transactions.length} largest of ${x.count} transactions · ` : `${x.count} transactions · `) +
      (x.threshold_bp ? `threshold ${pct(x.threshold_bp)} · ` : "") + `pace ${x.pace === "too_fast" ? "too fast" : "on track"} (${pct(x.elapsed_bp)} of the period gone)`),
    el("div", { class: "rule" }, x.rule || ""));
  box.dataset.alertId = id;
  box.hidden = false;
}

function renderPersonal() {
  const box = $("personal");
  box.replaceChildren();
  if (!state.personal.size) return box.append(el("p", { class: "empty" }, "No budgets yet."));
  for (const b of [...state.personal.values()].sort((a, c) => a.category.localeCompare(c.category)))
    box.append(bar(b, { id: "budget-" + b.budget_id, name: b.category }));
  renderSafeTotal();
}

function renderShared() {
  const box = $("shared");
  box.replaceChildren();
  if (!state.shared.size) return box.append(el("p", { class: "empty" }, "No shared budgets."));
  for (const b of state.shared.values()) {
    const card = bar(b, { id: "shared-" + b.budget_id, name: b.name || b.budget_id });
    const list = el("ul", { class: "participants" });
    for (const p of b.participants || [])
      list.append(el("li", {}, el("span", {}, p.user_id, el("span", { class: "role" }, p.role)),
        el("span", {}, `${money(p.spent_minor, b.currency)} · ${pct(p.share_bp)}`)));
    card.append(list);
    box.append(card);
  }
}

function feed(text, alert) {
  const li = el("li", { class: alert ? "alert" : "" }, el("time", {}, new Date().toLocaleTimeString()), text);
  $("feed").prepend(li);
  while ($("feed").children.length > 50) $("feed").lastChild.remove();
}

function onUpdate(u) {
  if (u.kind === "shared" || state.shared.has(u.budget_id)) {
    const prev = state.shared.get(u.budget_id) || {};
    if (prev.version && u.version && u.version <= prev.version) return;
    state.shared.set(u.budget_id, { ...prev, ...u, participants: u.participants?.length ? u.participants : prev.participants });
    renderShared();
  } else {
    const prev = state.personal.get(u.budget_id) || {};
    if (prev.version && u.version && u.version <= prev.version) return;
    state.personal.set(u.budget_id, { ...prev, ...u });
    renderPersonal();
  }
  if (u.alert) loadAlerts();
  if (u.merchant && u.amount_minor > 0)
    feed(`${u.user_id} spent ${money(u.amount_minor, u.currency || "THB")} at ${u.merchant} — ${pct(u.used_bp)} used` +
      (u.name ? ` of ${u.name}` : u.category ? ` of ${u.category}` : ""), u.alert);
  else if (u.refused) feed(`${u.user_id}'s spend at ${u.merchant} was not counted (${u.refused_reason})`, false);
}

function connect() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(`${proto}//${location.host}/v1/ws?access_token=${encodeURIComponent(state.token)}`);
  state.ws = ws;
  ws.onopen = () => {
    state.retry = 0;
    $("status").textContent = "live"; $("status").className = "status on";
    for (const b of state.shared.values())
      ws.send(JSON.stringify({ type: "subscribe", channel: "budget:" + b.budget_id, since_version: b.version || 0 }));
  };
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data);
    switch (m.type) {
      case "budget_update": onUpdate(m); break;
      case "snapshot": onUpdate({ ...m.state, kind: "shared" }); break;
      case "notification": {
        const src = m.data.source, d = m.data.data || m.data;
        if (src === "insight" || src === "goal") { loadExtras(); break; }
        loadAlerts();
        feed((d.title ? d.title + ": " : "") + (d.body || ""), true);
        break;
      }
      case "assistant": // an answer asked on another device of this user
        if (m.data.conversation_id !== state.conversation) feed("Assistant: " + m.data.answer, m.data.escalated);
        break;
      case "unsubscribed": state.shared.delete((m.channel || "").replace("budget:", "")); renderShared(); feed(m.reason || "removed from a budget", false); break;
    }
  };
  ws.onclose = (e) => {
    $("status").textContent = "offline"; $("status").className = "status off";
    if (e.code === 4010) { // the token expired: a fresh one (dev) or sign in again
      if (state.user) { signIn(state.user).catch((err) => feed(err.message, true)); return; }
      feed("Your session expired: sign in again.", true);
      return;
    }
    setTimeout(connect, Math.min(10000, 500 * 2 ** state.retry++));
  };
}

// ask posts a question to the co-pilot and shows the answer above the
// earlier ones; the conversation goes on until the page is reloaded.
async function ask(message) {
  const q = el("li", { class: "pending" }, el("div", { class: "q" }, message), el("div", { class: "a" }, "…"));
  $("answers").prepend(q);
  try {
    const r = await api("/v1/me/assistant", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ message, conversation_id: state.conversation }) });
    state.conversation = r.conversation_id;
    q.className = r.escalated ? "escalated" : "";
    q.dataset.intent = r.intent; q.dataset.confidence = r.confidence;
    q.querySelector(".a").textContent = r.answer;
    q.append(el("div", { class: "meta" }, `${r.intent} · ${Math.round(r.confidence * 100)}%` + (r.escalated ? " · sent to support" : "")));
  } catch (e) { q.className = "error"; q.querySelector(".a").textContent = "Could not ask: " + e.message; }
  while ($("answers").children.length > 10) $("answers").lastChild.remove();
}

// older says whether b is an older version of a budget than prev: an answer
// to a GET sent before a live update arrived must not undo it.
const older = (b, prev) => !!(prev?.version && b.version && b.version < prev.version);

async function load() {
  const mine = await api("/v1/me/budgets");
  state.personal = new Map(mine.budgets.map((b) => {
    const prev = state.personal.get(b.budget_id);
    return [b.budget_id, older(b, prev) ? prev : b];
  }));
  state.safeCurrency = mine.currency;
  renderPersonal();
  loadAlerts();
  try {
    const list = await api("/v1/me/shared-budgets");
    for (const s of list.shared_budgets || list.budgets || []) {
      const id = s.budget_id || s;
      state.shared.set(id, await api("/v1/shared-budgets/" + encodeURIComponent(id)));
    }
  } catch (e) { /* shared budgets not available */ }
  renderShared();
  loadExtras();
  loadInvitations();
}

// loadInvitations shows the user's pending invitations to shared budgets,
// each with Accept and Decline; an accepted budget appears once the
// membership reached the user's state.
async function loadInvitations() {
  let list;
  try { list = (await api("/v1/me/invitations")).invitations || []; } catch (e) { return; }
  const ul = $("invitations"); ul.replaceChildren();
  $("invitations-box").hidden = !list.length;
  for (const inv of list) {
    const answer = (verb) => async () => {
      try {
        await api(`/v1/me/invitations/${encodeURIComponent(inv.invitation_id)}/${verb}`, { method: "POST" });
        li.remove();
        $("invitations-box").hidden = !ul.children.length;
        feed(`You ${verb === "accept" ? "accepted" : "declined"} the invitation to ${inv.name || inv.budget_id}`, false);
        if (verb === "accept") awaitMembership(inv.budget_id, 20);
      } catch (e) { feed(e.message, true); }
    };
    const accept = el("button", { class: "accept" }, "Accept"), decline = el("button", { class: "decline" }, "Decline");
    accept.onclick = answer("accept"); decline.onclick = answer("decline");
    const li = el("li", { id: "invitation-" + inv.invitation_id },
      el("span", {}, `${inv.invited_by} invites you to ${inv.name || inv.budget_id} as ${inv.role} (until ${new Date(inv.expires_at).toLocaleDateString()})`),
      accept, decline);
    ul.append(li);
  }
}

// awaitMembership reloads the shared budgets until budgetID is among them.
async function awaitMembership(budgetID, tries) {
  await load();
  if (state.shared.has(budgetID) || tries <= 0) {
    if (state.ws && state.ws.readyState === 1 && state.shared.has(budgetID))
      state.ws.send(JSON.stringify({ type: "subscribe", channel: "budget:" + budgetID, since_version: 0 }));
    return;
  }
  setTimeout(() => awaitMembership(budgetID, tries - 1), 500);
}

async function loadExtras() {
  try {
    const ins = await api("/v1/me/insights");
    const ul = $("insights"); ul.replaceChildren();
    for (const i of ins.insights || []) ul.append(el("li", { class: i.severity }, i.text));
    if (!ul.children.length) ul.append(el("li", { class: "empty" }, "No insights yet."));
  } catch (e) { /* insights not available */ }
  try {
    const g = await api("/v1/me/goals");
    const box = $("goals"); box.replaceChildren();
    for (const goal of g.goals || []) {
      const card = bar({ used_bp: goal.progress_bp, spent_minor: goal.saved_minor, limit_minor: goal.target_minor,
        remaining_minor: goal.target_minor - goal.saved_minor, currency: goal.currency }, { id: "goal-" + goal.goal_id, name: goal.name });
      if (goal.monthly_needed_minor != null)
        card.append(el("div", { class: "plan" }, `${money(goal.monthly_needed_minor, goal.currency)} a month to reach it by ${goal.target_date}` +
          (goal.on_track ? "" : " · off track")));
      box.append(card);
    }
    if (!box.children.length) box.append(el("p", { class: "empty" }, "No goals."));
  } catch (e) { /* goals not available */ }
}

async function signIn(user) {
  const r = await fetch("/v1/dev/token", { method: "POST", body: JSON.stringify({ user_id: user }) });
  if (!r.ok) throw new Error("token: " + r.status);
  state.token = (await r.json()).token;
  state.user = user;
  sessionStorage.setItem("finstream-user", user);
  $("login").hidden = true; $("app").hidden = false;
  $("user-label").textContent = user;
  await load();
  connect();
  setInterval(loadInvitations, 10000);
}

window.addEventListener("DOMContentLoaded", () => {
  $("ask").addEventListener("submit", (e) => {
    e.preventDefault();
    const m = $("ask-input").value.trim();
    if (m) { $("ask-input").value = ""; ask(m); }
  });
  const dev = document.body.dataset.mode === "dev";
  const params = new URLSearchParams(location.search);
  const token = params.get("token");
  if (token) { state.token = token; $("app").hidden = false; load().then(connect); return; }
  if (!dev) { $("login").hidden = false; $("picker").hidden = true; return; }
  for (let i = 1; i <= 20; i++) $("demo-users").append(el("option", { value: "USR-" + String(i).padStart(6, "0") }));
  const user = params.get("user") || sessionStorage.getItem("finstream-user");
  if (user) return void signIn(user).catch((e) => feed(e.message, true));
  $("login").hidden = false;
  $("picker").addEventListener("submit", (e) => { e.preventDefault(); signIn($("user-id").value.trim()).catch((err) => alert(err.message)); });
});
