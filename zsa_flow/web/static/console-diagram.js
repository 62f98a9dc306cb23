/* Console diagrams: every .zsa-diagram[data-xml-source] is drawn (diagram.js);
 * data-markers ({"added": [ids], "changed": [ids], "removed": [ids]}) marks elements of a version
 * diff (CSS classes zsa-added / zsa-changed / zsa-removed in console.css). */
(function () {
  "use strict";

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
    var markers = JSON.parse(container.getAttribute("data-markers") || "{}");
    window.zsaDiagram.draw(container, window.zsaDiagram.text(container.getAttribute("data-xml-source")),
      function (viewer) { container.setAttribute("data-marked", String(mark(viewer, markers))); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".zsa-diagram[data-xml-source]"), render);
  });
})();
