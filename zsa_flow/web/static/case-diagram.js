/* Case diagram: loads the BPMN XML and element states from the JSON endpoint named in
 * data-source and marks completed, active and failed elements (CSS classes in inbox.css).
 * Drawing and fallbacks: diagram.js. */
(function () {
  "use strict";

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

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("zsa-diagram");
    if (!container) { return; }
    window.zsaDiagram.draw(container, window.zsaDiagram.json(container.getAttribute("data-source")), mark);
  });
})();
