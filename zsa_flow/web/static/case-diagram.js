/* Case diagram: loads the BPMN XML and element states from the JSON endpoint named in
 * data-source and marks completed, active and failed elements (CSS classes in inbox.css).
 * No inline script (CSP script-src 'self'); bpmn-js is served from static/vendor. */
(function () {
  "use strict";

  function show(container, text) {
    container.textContent = "";
    var p = document.createElement("p");
    p.className = "zsa-diagram-fallback";
    p.textContent = text;
    container.appendChild(p);
  }

  function mark(viewer, state) {
    var canvas = viewer.get("canvas");
    var registry = viewer.get("elementRegistry");
    var done = new Set(state.completed || []);
    var current = new Set(state.active || []);
    (state.completed || []).forEach(function (id) { if (registry.get(id)) canvas.addMarker(id, "zsa-completed"); });
    (state.active || []).forEach(function (id) { if (registry.get(id)) canvas.addMarker(id, "zsa-active"); });
    (state.incident || []).forEach(function (id) { if (registry.get(id)) canvas.addMarker(id, "zsa-incident"); });
    // A sequence flow counts as taken when its source is done and its target is done or current.
    registry.filter(function (e) { return e.type === "bpmn:SequenceFlow"; }).forEach(function (flow) {
      var bo = flow.businessObject;
      if (bo.sourceRef && bo.targetRef && done.has(bo.sourceRef.id) &&
          (done.has(bo.targetRef.id) || current.has(bo.targetRef.id))) {
        canvas.addMarker(flow.id, "zsa-completed");
      }
    });
  }

  function render(container) {
    if (typeof window.BpmnJS !== "function") {
      show(container, "Das Diagramm kann nicht angezeigt werden (bpmn-js fehlt: `make assets`).");
      return;
    }
    fetch(container.getAttribute("data-source"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (state) {
        container.textContent = "";
        var viewer = new window.BpmnJS({ container: container });
        return viewer.importXML(state.xml).then(function () {
          viewer.get("canvas").zoom("fit-viewport");
          mark(viewer, state);
          container.setAttribute("data-rendered", "true");
        });
      })
      .catch(function (err) {
        show(container, "Das Diagramm konnte nicht geladen werden (" + err.message + ").");
        container.setAttribute("data-rendered", "error");
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("zsa-diagram");
    if (container) { render(container); }
  });
})();
