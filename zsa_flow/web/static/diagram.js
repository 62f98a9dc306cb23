/* The bpmn-js loader the case page, the console and the replay share: draws BPMN XML with the
 * navigated viewer (served from static/vendor, `make assets`), fits it, lets the caller mark
 * elements, and sets data-rendered="true" — or shows a German fallback and data-rendered="error".
 * No inline script (CSP script-src 'self'). */
(function () {
  "use strict";

  function fallback(container, text) {
    container.textContent = "";
    var p = document.createElement("p");
    p.className = "zsa-diagram-fallback";
    p.textContent = text;
    container.appendChild(p);
  }

  function fetchOk(url, accept) {
    var headers = accept ? { Accept: accept } : {};
    return fetch(url, { credentials: "same-origin", headers: headers }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response;
    });
  }

  /* Draw `source` into `container`: BPMN XML, or an object with the XML in `.xml`, or a promise of
   * either; `onShown(viewer, loaded)` marks before the diagram counts as rendered.
   * Resolves to the viewer, or to null when the diagram could not be drawn. */
  function draw(container, source, onShown) {
    if (typeof window.BpmnJS !== "function") {
      fallback(container, "Das Diagramm kann nicht angezeigt werden (bpmn-js fehlt: `make assets`).");
      return Promise.resolve(null);
    }
    return Promise.resolve(source).then(function (loaded) {
      container.textContent = "";
      var viewer = new window.BpmnJS({ container: container });
      return viewer.importXML(typeof loaded === "string" ? loaded : loaded.xml).then(function () {
        viewer.get("canvas").zoom("fit-viewport");
        if (onShown) { onShown(viewer, loaded); }
        container.setAttribute("data-rendered", "true");
        return viewer;
      });
    }).catch(function (err) {
      fallback(container, "Das Diagramm konnte nicht geladen werden (" + err.message + ").");
      container.setAttribute("data-rendered", "error");
      return null;
    });
  }

  window.zsaDiagram = {
    draw: draw,
    json: function (url) { return fetchOk(url, "application/json").then(function (r) { return r.json(); }); },
    text: function (url) { return fetchOk(url).then(function (r) { return r.text(); }); }
  };
})();
