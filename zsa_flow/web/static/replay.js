/* Case replay: a slider over the replayed steps. At each step the bpmn-js diagram marks the
 * elements visited so far and where tokens stand, and the data at that step is shown with the
 * changes against the previous step highlighted. Data come from the JSON endpoint named in
 * data-source (steps, per-step snapshots, BPMN XML). No inline script (CSP script-src 'self');
 * without JavaScript the page still lists every step and the final data. */
(function () {
  "use strict";

  var MARKERS = ["zsa-completed", "zsa-active", "zsa-incident"];

  function text(value) {
    if (value === true) { return "Ja"; }
    if (value === false) { return "Nein"; }
    if (value === null || value === undefined || value === "") { return "–"; }
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function dataTable(now, before) {
    var table = document.createElement("table");
    table.className = "zsa-replay-datatable";
    var caption = document.createElement("caption");
    caption.className = "visually-hidden";
    caption.textContent = "Vorgangsdaten; geänderte Felder sind markiert";
    table.appendChild(caption);
    var body = document.createElement("tbody");
    var keys = Object.keys(now).concat(Object.keys(before).filter(function (k) { return !(k in now); })).sort();
    keys.forEach(function (key) {
      var row = document.createElement("tr");
      if (!same(now[key], before[key])) { row.className = "zsa-changed"; }
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = key;
      var td = document.createElement("td");
      var shown = key in now ? text(now[key]) : "(entfernt)";
      if (shown.length > 240) { td.title = shown; shown = shown.slice(0, 239) + "…"; }
      td.textContent = shown;
      row.appendChild(th);
      row.appendChild(td);
      body.appendChild(row);
    });
    table.appendChild(body);
    return table;
  }

  function Replay(root, state) {
    this.root = root;
    this.state = state;
    this.slider = document.getElementById("zsa-replay-slider");
    this.items = Array.prototype.slice.call(document.querySelectorAll("#zsa-replay-steps > li"));
    this.viewer = null;
    this.marked = [];
  }

  Replay.prototype.mark = function (snap) {
    if (!this.viewer) { return; }
    var canvas = this.viewer.get("canvas");
    var registry = this.viewer.get("elementRegistry");
    this.marked.forEach(function (m) { canvas.removeMarker(m[0], m[1]); });
    var marked = [];
    var active = new Set(snap.active || []);
    var incident = new Set(snap.incident || []);
    var done = new Set((snap.visited || []).filter(function (id) { return !active.has(id) && !incident.has(id); }));
    function add(id, marker) {
      if (registry.get(id)) { canvas.addMarker(id, marker); marked.push([id, marker]); }
    }
    done.forEach(function (id) { add(id, MARKERS[0]); });
    active.forEach(function (id) { add(id, MARKERS[1]); });
    incident.forEach(function (id) { add(id, MARKERS[2]); });
    registry.filter(function (e) { return e.type === "bpmn:SequenceFlow"; }).forEach(function (flow) {
      var bo = flow.businessObject;
      if (bo.sourceRef && bo.targetRef && done.has(bo.sourceRef.id) &&
          (done.has(bo.targetRef.id) || active.has(bo.targetRef.id) || incident.has(bo.targetRef.id))) {
        add(flow.id, MARKERS[0]);
      }
    });
    this.marked = marked;
    this.root.setAttribute("data-marked", String(marked.length));
    this.root.setAttribute("data-active", Array.from(active).sort().join(" "));
  };

  Replay.prototype.show = function (step) {
    var trail = this.state.trail, snaps = this.state.snapshots;
    if (!trail.length) { return; }
    step = Math.max(1, Math.min(step, trail.length));
    var s = trail[step - 1], snap = snaps[step - 1] || {}, before = step > 1 ? (snaps[step - 2] || {}) : {};
    this.slider.value = String(step);
    document.getElementById("zsa-replay-step").textContent = String(step);
    document.getElementById("zsa-replay-current").textContent =
      "Schritt " + step + ": " + s.label + (s.element_name ? ": " + s.element_name : "") +
      " · " + (s.actor || "–") + " · " + s.time;
    this.items.forEach(function (li, i) {
      li.classList.toggle("zsa-replay-now", i === step - 1);
      li.classList.toggle("zsa-replay-later", i > step - 1);
    });
    var list = document.getElementById("zsa-replay-steps"), current = this.items[step - 1];
    if (current) {  // keep the current step in view inside the list, without moving the page
      list.scrollTop = Math.max(0, current.offsetTop - list.clientHeight / 2);
    }
    var data = document.getElementById("zsa-replay-data");
    data.textContent = "";
    data.appendChild(dataTable(snap.data || {}, step > 1 ? (before.data || {}) : {}));
    document.getElementById("zsa-replay-data-when").textContent = "bei Schritt " + step;
    this.mark(snap);
    this.root.setAttribute("data-step", String(step));
  };

  Replay.prototype.start = function () {
    var self = this;
    var control = this.root.querySelector(".zsa-replay-control");
    control.hidden = false;
    this.slider.addEventListener("input", function () { self.show(parseInt(self.slider.value, 10)); });
    this.items.forEach(function (li) {
      li.addEventListener("click", function () { self.show(parseInt(li.getAttribute("data-step"), 10)); });
    });
    var container = document.getElementById("zsa-replay-diagram");
    window.zsaDiagram.draw(container, this.state.xml, function (viewer) {
      self.viewer = viewer;
      self.show(parseInt(self.slider.value, 10));
    }).then(function (viewer) {
      if (!viewer) { self.show(parseInt(self.slider.value, 10)); }  // the steps without a diagram
    });
  };

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("zsa-replay");
    if (!root) { return; }
    window.zsaDiagram.json(root.getAttribute("data-source"))
      .then(function (state) { new Replay(root, state).start(); })
      .catch(function (err) { root.setAttribute("data-error", err.message); });
  });
})();
