// The /ops page: polls /v1/ops/lag every second and draws, per consumer
// group, its status and two charts (lag; throughput) on plain canvases.
"use strict";
(() => {
  const MAX_POINTS = 300; // five minutes at one sample a second
  const POLL_MS = 1000;
  const groups = new Map(); // name -> {el, points, lagCanvas, rateCanvas, ...}
  const $ = (id) => document.getElementById(id);
  let withHistory = true;

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else if (k.startsWith("data-")) e.setAttribute(k, v); else e[k] = v;
    }
    for (const c of children) e.append(c);
    return e;
  }

  function fmtCount(n) {
    const a = Math.abs(n);
    if (a >= 1e9) return (n / 1e9).toFixed(1) + "G";
    if (a >= 1e6) return (n / 1e6).toFixed(1) + "M";
    if (a >= 1e4) return (n / 1e3).toFixed(1) + "k";
    return Number.isInteger(n) ? String(n) : n.toFixed(a < 10 ? 1 : 0);
  }
  function fmtSecs(s) {
    if (s === 0) return "0 s";
    if (s < 1) return Math.round(s * 1000) + " ms";
    if (s < 60) return s.toFixed(1) + " s";
    if (s < 3600) return Math.floor(s / 60) + "m " + Math.round(s % 60) + "s";
    return Math.floor(s / 3600) + "h " + Math.round((s % 3600) / 60) + "m";
  }
  const fmtRate = (r) => fmtCount(r) + "/s";

  function stat(label) {
    const b = el("b", {}, "–");
    return { node: el("div", { class: "stat" }, b, el("small", {}, label)), b };
  }

  function makeGroup(g) {
    const badge = el("span", { class: "badge" }, g.status);
    const s = { lag: stat("lag (messages)"), secs: stat("lag (seconds)"), consumed: stat("consumed"), produced: stat("produced"), members: stat("members") };
    const lagCanvas = el("canvas", { "data-chart": "lag" });
    const rateCanvas = el("canvas", { "data-chart": "throughput" });
    const tbody = el("tbody");
    const table = el("table", {},
      el("thead", {}, el("tr", {}, ...["topic", "partition", "current offset", "log end offset", "lag", "lag seconds", "status"].map((h) => el("th", {}, h)))),
      tbody);
    const node = el("section", { class: "group", "data-group": g.group },
      el("div", { class: "head" },
        el("div", { class: "name" }, g.group, el("span", { class: "kind" }, g.kind)), badge,
        s.lag.node, s.secs.node, s.consumed.node, s.produced.node, s.members.node),
      el("div", { class: "charts" },
        el("div", { class: "chart" }, el("h3", {}, "Lag: messages (area) and seconds (line)"), lagCanvas),
        el("div", { class: "chart" }, el("h3", {}, "Throughput: consumed vs produced per second"), rateCanvas)),
      el("details", {}, el("summary", {}, "partitions"), table));
    return { node, badge, s, lagCanvas, rateCanvas, tbody, points: [] };
  }

  function update(view, g) {
    view.node.dataset.status = g.status;
    view.badge.textContent = g.status === "OK" || g.reason === g.status ? g.status : g.status + " · " + g.reason;
    view.badge.className = "badge " + g.status;
    view.s.lag.b.textContent = fmtCount(g.lag_messages);
    view.s.secs.b.textContent = fmtSecs(g.lag_seconds);
    view.s.consumed.b.textContent = fmtRate(g.consumed_per_second);
    view.s.produced.b.textContent = fmtRate(g.produced_per_second);
    view.s.members.b.textContent = g.kind === "tailer" ? "tailer" : g.members + " (" + g.state + ")";
    if (g.history) {
      view.points = g.history.map((p) => ({ ...p, t: Date.parse(p.t) }));
    }
    const t = Date.parse(g.at);
    const last = view.points[view.points.length - 1];
    if (!last || t > last.t) {
      view.points.push({ t, lag_messages: g.lag_messages, lag_seconds: g.lag_seconds,
        consumed_per_second: g.consumed_per_second, produced_per_second: g.produced_per_second });
      if (view.points.length > MAX_POINTS) view.points.splice(0, view.points.length - MAX_POINTS);
    }
    view.tbody.replaceChildren(...(g.partitions || []).map((p) => el("tr", {},
      el("td", {}, p.topic), el("td", {}, String(p.partition)),
      el("td", {}, p.current_offset < 0 ? "-" : String(p.current_offset)), el("td", {}, String(p.log_end_offset)),
      el("td", {}, String(p.lag_messages)), el("td", {}, fmtSecs(p.lag_seconds)),
      el("td", { class: "s-" + p.status }, p.status))));
    draw(view);
  }

  function draw(view) {
    const ts = view.points.map((p) => p.t);
    drawChart(view.lagCanvas, ts, [
      { label: "messages", color: "#58a6ff", fill: true, values: view.points.map((p) => p.lag_messages), fmt: fmtCount },
      { label: "seconds", color: "#d2a8ff", right: true, values: view.points.map((p) => p.lag_seconds), fmt: fmtSecs },
    ]);
    drawChart(view.rateCanvas, ts, [
      { label: "produced/s", color: "#8893a4", values: view.points.map((p) => p.produced_per_second), fmt: fmtCount },
      { label: "consumed/s", color: "#3fb950", fill: true, values: view.points.map((p) => p.consumed_per_second), fmt: fmtCount },
    ]);
  }

  // niceMax rounds v up to 1, 2 or 5 times a power of ten.
  function niceMax(v) {
    if (!(v > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
    return 10 * p;
  }

  // drawChart draws series over times (ms) on canvas: the left axis for
  // series without `right`, the right axis for the others.
  function drawChart(canvas, times, series) {
    const dpr = window.devicePixelRatio || 1;
    const W = canvas.clientWidth || 600, H = canvas.clientHeight || 160;
    if (canvas.width !== Math.round(W * dpr) || canvas.height !== Math.round(H * dpr)) {
      canvas.width = Math.round(W * dpr);
      canvas.height = Math.round(H * dpr);
    }
    const c = canvas.getContext("2d");
    c.setTransform(dpr, 0, 0, dpr, 0, 0);
    c.clearRect(0, 0, W, H);
    const hasRight = series.some((s) => s.right);
    const L = 52, R = hasRight ? 56 : 12, T = 22, B = 20;
    const pw = W - L - R, ph = H - T - B;
    const tmax = times.length ? times[times.length - 1] : Date.now();
    const span = Math.max(60e3, times.length ? tmax - times[0] : 0);
    const x = (t) => L + pw * (1 - (tmax - t) / span);
    const maxOf = (right) => niceMax(Math.max(0, ...series.filter((s) => !!s.right === right).flatMap((s) => s.values)));
    const ymax = { false: maxOf(false), true: maxOf(true) };
    const y = (v, right) => T + ph * (1 - v / ymax[right]);

    c.font = "11px system-ui, sans-serif";
    c.lineWidth = 1;
    c.strokeStyle = "#263040";
    c.fillStyle = "#8893a4";
    const lead = ymax[false] / Math.pow(10, Math.floor(Math.log10(ymax[false])));
    const div = lead === 2 ? 4 : 5; // ticks at 0.5, 1 or 2 times a power of ten
    for (let i = 0; i <= div; i++) { // grid and y labels
      const gy = T + (ph * i) / div;
      c.beginPath(); c.moveTo(L, gy); c.lineTo(L + pw, gy); c.stroke();
      const left = series.find((s) => !s.right), right = series.find((s) => s.right);
      c.textAlign = "right";
      if (left) c.fillText(left.fmt((ymax[false] * (div - i)) / div), L - 6, gy + 4);
      c.textAlign = "left";
      if (right) c.fillText(right.fmt((ymax[true] * (div - i)) / div), L + pw + 6, gy + 4);
    }
    const step = span > 240e3 ? 60e3 : span > 120e3 ? 30e3 : 10e3; // x labels: seconds before the last sample
    c.textAlign = "center";
    for (let t = 0; t <= span; t += step) {
      const gx = x(tmax - t);
      c.fillText(t === 0 ? "now" : "-" + (t >= 60e3 ? t / 60e3 + "m" : t / 1e3 + "s"), gx, H - 5);
    }
    for (const s of series) { // lines, areas
      if (!times.length) continue;
      c.beginPath();
      times.forEach((t, i) => (i ? c.lineTo(x(t), y(s.values[i], !!s.right)) : c.moveTo(x(t), y(s.values[i], !!s.right))));
      c.strokeStyle = s.color; c.lineWidth = 1.5; c.stroke();
      if (s.fill) {
        c.lineTo(x(times[times.length - 1]), T + ph); c.lineTo(x(times[0]), T + ph); c.closePath();
        c.globalAlpha = 0.18; c.fillStyle = s.color; c.fill(); c.globalAlpha = 1;
      }
    }
    let lx = L; // legend
    c.textAlign = "left";
    for (const s of series) {
      c.fillStyle = s.color; c.fillRect(lx, 6, 10, 10);
      c.fillStyle = "#d8dee9"; c.fillText(s.label, lx + 14, 15);
      lx += 24 + c.measureText(s.label).width;
    }
    canvas.dataset.points = String(times.length);
  }

  function render(snap) {
    const at = snap.sampled_at && !snap.sampled_at.startsWith("0001") ? new Date(snap.sampled_at) : null;
    $("meta").textContent = at
      ? `sampled ${at.toLocaleTimeString()} · every ${snap.interval_seconds}s · status window ${snap.window} samples · ${snap.groups.length} groups`
      : "waiting for the first sample…";
    const main = $("groups");
    const seen = new Set();
    for (const g of snap.groups) {
      seen.add(g.group);
      let view = groups.get(g.group);
      if (!view) {
        view = makeGroup(g);
        groups.set(g.group, view);
      }
      main.append(view.node); // keeps the snapshot's order
      update(view, { ...g, at: snap.sampled_at });
    }
    for (const [name, view] of groups) {
      if (!seen.has(name)) { view.node.remove(); groups.delete(name); }
    }
    if (!snap.groups.length && !main.querySelector(".empty")) {
      main.replaceChildren(el("div", { class: "empty" }, "No finstream consumer groups yet."));
    } else if (snap.groups.length) {
      main.querySelector(".empty")?.remove();
    }
  }

  function showError(msg) {
    $("error").hidden = !msg;
    $("error").textContent = msg;
  }

  async function poll() {
    try {
      const r = await fetch("/v1/ops/lag" + (withHistory ? "?history=1" : ""), { cache: "no-store" });
      if (!r.ok) throw new Error("HTTP " + r.status);
      const snap = await r.json();
      withHistory = false;
      render(snap);
      showError(snap.error ? "last sample failed: " + snap.error : "");
    } catch (e) {
      showError("cannot read /v1/ops/lag: " + e.message);
    }
    setTimeout(poll, POLL_MS);
  }
  window.addEventListener("resize", () => groups.forEach(draw));
  poll();
})();
