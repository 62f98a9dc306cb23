/* Console diagrams: every .zsa-diagram[data-xml-source] is drawn with the bpmn-js navigated viewer;
 * data-markers ({"added": [ids], "changed": [ids], "removed": [ids]}) marks elements of a version
 * diff (CSS classes zsa-added / zsa-changed / zsa-removed in console.css).
 * No inline script (CSP script-src 'self'); bpmn-js is served from static/vendor (`make assets`). */
(function () {
  "use strict";

  function show(container, text) {
    container.textContent = "";
    var p = document.createElement("p");
    p.className = "zsa-diagram-fallback";
    p.textContent = text;
    container.appendChild(p);
  }

  function mark(viewer, markers) {
    var canvas = viewer.get("canvas");
    var registry = viewer.get("elementRegistry");
    var count = 0;
    Object.keys(markers).forEach(function (kind) {
      (markers[kind] || []).forEach(function (id) {
        if (registry.get(id)) { canvas.addMarker(id, "zsa-" + kind); count += 1; }
      });
    });
    return count;
  }

  function render(container) {
    if (typeof window.BpmnJS !== "function") {
      show(container, "Das Diagramm kann nicht angezeigt werden (bpmn-js fehlt: `make assets`).");
      return;
    }
    var markers = JSON.parse(container.getAttribute("data-markers") || "{}");
    fetch(container.getAttribute("data-xml-source"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (xml) {
        container.textContent = "";
        var viewer = new window.BpmnJS({ container: container });
        return viewer.importXML(xml).then(function () {
          viewer.get("canvas").zoom("fit-viewport");
          container.setAttribute("data-marked", String(mark(viewer, markers)));
          container.setAttribute("data-rendered", "true");
        });
      })
      .catch(function (err) {
        show(container, "Das Diagramm konnte nicht geladen werden (" + err.message + ").");
        container.setAttribute("data-rendered", "error");
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".zsa-diagram[data-xml-source]"), render);
  });
})();
