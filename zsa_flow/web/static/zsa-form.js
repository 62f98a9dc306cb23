/* Live form behaviour for the server-rendered Camunda Forms (zsa_flow/forms/render.py).
 *
 * - `conditional.hide` (data-zsa-hide) is re-evaluated with feelin, the FEEL interpreter of
 *   Camunda's form-js, on every input: a hidden field is disabled (neither required nor submitted),
 *   a shown one is enabled; `_zsa_shown` tells the server which conditional fields were seen.
 * - The error summary ("Es gibt ein Problem") receives the focus when the page shows one.
 * - Dynamic lists: "Eintrag hinzufügen" clones the entry <template>, "Eintrag entfernen" removes the
 *   entry, and the entries are renumbered (names `list.N.key`, ids, labels, the count input), all
 *   without a round trip; without script those buttons post the form and the server draws it again.
 *   Conditions inside an entry see the entry's fields by name over the outer data (form-js scope).
 * - Tables with `rowCount` show their rows page by page ("Vorherige Seite" / "Nächste Seite").
 * No inline script: this file and vendor/feelin/feelin.min.js are loaded from 'self' (CSP).
 */
(function () {
  "use strict";

  var GROUPED = /^[+-]?\d{1,3}(\.\d{3})+,\d*$/;
  var THOUSANDS = /^[+-]?\d{1,3}(\.\d{3})+$/;
  var NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

  /* "450,50" -> 450.5, "1.234,56" -> 1234.56, "1.234" -> 1234 (as the server reads HTML input) */
  function germanNumber(text) {
    text = String(text).replace(/[\s\u00a0]/g, "");
    if (text === "") return null;
    if (text.indexOf(",") >= 0) {
      if (text.indexOf(".") >= 0 && !GROUPED.test(text)) return null;
      text = text.replace(/\./g, "").replace(",", ".");
    } else if (THOUSANDS.test(text)) {
      text = text.replace(/\./g, "");
    }
    return NUMBER.test(text) ? Number(text) : null;
  }

  function setPath(target, path, value) {
    for (var i = 0; i < path.length - 1; i++) {
      if (typeof target[path[i]] !== "object" || target[path[i]] === null) target[path[i]] = {};
      target = target[path[i]];
    }
    target[path[path.length - 1]] = value;
  }

  function optionValue(field, text) {
    var options = field.options || [];
    for (var i = 0; i < options.length; i++) {
      if (String(options[i]) === text) return options[i];
    }
    return text;
  }

  /* The value of a field as the server would read it, or undefined when none of its inputs is enabled. */
  function fieldValue(form, field, prefix) {
    var name = (prefix || "") + field.name;
    var inputs = Array.prototype.filter.call(form.elements, function (el) {
      return el.name === name && !el.disabled;
    });
    if (inputs.length === 0) return undefined;
    var type = field.type;
    if (type === "checkbox") return inputs[0].checked;
    if (type === "checklist" || type === "taglist") {
      return inputs.filter(function (el) { return el.checked; }).map(function (el) { return optionValue(field, el.value); });
    }
    if (type === "radio") {
      var chosen = inputs.filter(function (el) { return el.checked; })[0];
      return chosen ? optionValue(field, chosen.value) : null;
    }
    var text = inputs[0].value;
    if (type === "number") return germanNumber(text);
    if (type === "select") return text === "" ? null : optionValue(field, text);
    if (type === "textfield") return text.trim();
    if (type === "datetime") return text === "" ? null : text;
    return text;
  }

  /* Like the server: only `true` hides; a condition that cannot be evaluated does not. */
  function holds(expression, data) {
    return value(expression, data) === true;
  }

  /* form-js names the data being filled in `this` (inside a list entry: the entry, see scopeOf). */
  function withThis(data) {
    var scope = Object.assign({}, data);
    scope["this"] = scope._this_ = data;
    return scope;
  }

  /* The FEEL value of an expression, or undefined when it cannot be evaluated. */
  function value(expression, data) {
    try {
      var result = window.feelin.evaluate(String(expression).trim().replace(/^=/, ""), data);
      return result && typeof result === "object" && "warnings" in result ? result.value : result;
    } catch (err) {
      return undefined;
    }
  }

  function FormState(container) {
    this.container = container;
    this.form = container.closest("form");
    var blob = container.querySelector("script.zsa-form-context");
    this.context = blob ? JSON.parse(blob.textContent) : null;
    this.shown = container.querySelector('input[name="_zsa_shown"]');
    this.conditionals = container.querySelectorAll("[data-zsa-hide]");
  }

  FormState.prototype.data = function () {
    var data = JSON.parse(JSON.stringify(this.context.data || {}));
    var form = this.form;
    this.context.fields.forEach(function (field) {
      var value = fieldValue(form, field);
      if (value !== undefined) setPath(data, field.path, value);
    });
    var self = this;
    Array.prototype.forEach.call(this.container.querySelectorAll("[data-zsa-list]"), function (list) {
      if (list.parentElement.closest(".zsa-entry")) return;
      var first = list.querySelector(".zsa-entry");
      var spec = first && self.context.lists && self.context.lists[first.getAttribute("data-zsa-item")];
      if (spec) setPath(data, spec.path, entries(list).map(function (item) { return self.entryValues(item); }));
    });
    return data;
  };

  /* The values of one list entry (its own fields, by their names inside the entry). */
  FormState.prototype.entryValues = function (item) {
    var spec = this.context.lists && this.context.lists[item.getAttribute("data-zsa-item")];
    var values = {};
    var form = this.form;
    var prefix = item.getAttribute("data-zsa-prefix");
    if (!spec) return values;
    spec.fields.forEach(function (field) {
      var value = fieldValue(form, field, prefix);
      if (value !== undefined) setPath(values, field.path, value);
    });
    return values;
  };

  /* form-js's scope of an entry: its fields over the outer data, plus `this`, `parent` and `i`. */
  FormState.prototype.scopeOf = function (item, data) {
    var outerItem = item.parentElement.closest(".zsa-entry");
    var outer = outerItem && this.container.contains(outerItem) ? this.scopeOf(outerItem, data) : data;
    var values = this.entryValues(item);
    var scope = Object.assign({}, outer, values);
    var list = item.closest("[data-zsa-list]");
    var indexes = (outer._i_ || []).concat([entries(list).indexOf(item) + 1]);
    scope["this"] = scope._this_ = values;
    scope.parent = scope._parent_ = outer;
    scope.i = scope._i_ = indexes;
    return scope;
  };

  FormState.prototype.insideHidden = function (el) {
    for (var node = el.parentElement; node && node !== this.container; node = node.parentElement) {
      if (node.hidden) return true;
    }
    return false;
  };

  FormState.prototype.syncInputs = function () {
    var self = this;
    Array.prototype.forEach.call(this.container.querySelectorAll("input, select, textarea"), function (el) {
      if (el.type === "hidden" || el.hasAttribute("data-zsa-locked")) return;
      var off = self.insideHidden(el);
      el.disabled = off;
      if (el.hasAttribute("data-zsa-required")) {
        el.required = !off;
        if (el.tagName !== "INPUT" || (el.type !== "radio" && el.type !== "checkbox")) {
          el.setAttribute("aria-required", off ? "false" : "true");
        }
      }
    });
  };

  /* `zsa:validate` rules of shown fields: the server's message appears as soon as a value breaks it. */
  FormState.prototype.checkRules = function () {
    var data = this.data();
    var self = this;
    Array.prototype.forEach.call(this.container.querySelectorAll("[data-zsa-rule]"), function (wrapper) {
      var input = wrapper.querySelector("input, select, textarea");
      if (!input || wrapper.querySelector(".zsa-error:not(.zsa-rule-error)")) return; /* the server said it */
      var id = input.id + "-rule";
      var note = document.getElementById(id);
      var broken = !input.disabled && !self.insideHidden(input) && value(wrapper.getAttribute("data-zsa-rule"), data) === false;
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (x) { return x && x !== id; });
      if (broken && !note) {
        note = document.createElement("p");
        note.className = "zsa-error zsa-rule-error";
        note.id = id;
        note.textContent = wrapper.getAttribute("data-zsa-rule-message");
        input.parentNode.insertBefore(note, input);
      } else if (!broken && note) {
        note.parentNode.removeChild(note);
      }
      if (broken) described.push(id);
      if (described.length) input.setAttribute("aria-describedby", described.join(" "));
      else input.removeAttribute("aria-describedby");
      if (broken) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
  };

  FormState.prototype.update = function () {
    if (!this.context || !window.feelin) return;
    for (var round = 0; round < 10; round++) { /* hiding a field can change what other conditions see */
      var data = this.data();
      var changed = false;
      var self = this;
      Array.prototype.forEach.call(this.container.querySelectorAll("[data-zsa-hide]"), function (el) {
        var item = el.closest(".zsa-entry");
        var scope = item && self.container.contains(item) ? self.scopeOf(item, data) : withThis(data);
        var hide = holds(el.getAttribute("data-zsa-hide"), scope);
        if (el.hidden !== hide) {
          el.hidden = hide;
          changed = true;
        }
      });
      this.syncInputs();
      if (!changed) break;
    }
    if (this.shown) {
      var form = this.form;
      this.shown.value = this.context.fields.filter(function (field) {
        return field.conditional && fieldValue(form, field) !== undefined;
      }).map(function (field) { return field.name; }).join(",");
    }
  };

  /* ------------------------------------------------------------ dynamic lists */

  function entries(list) {
    var box = list.querySelector(".zsa-entries");
    return box ? Array.prototype.filter.call(box.children, function (el) {
      return el.classList.contains("zsa-entry");
    }) : [];
  }

  function idBase(prefix) {
    return "zsa-" + prefix.replace(/[^A-Za-z0-9_-]+/g, "-");
  }

  var NAMED = ["name", "data-zsa-prefix", "data-zsa-list"];
  var IDS = ["id", "for", "aria-describedby", "aria-labelledby"];

  /* Rename everything inside `root` that belongs to the entry prefix `from` (names, ids, buttons). */
  function rename(root, from, to) {
    var idFrom = [idBase(from), idBase("liste-" + from)];
    var idTo = [idBase(to), idBase("liste-" + to)];
    var nodes = [root].concat(Array.prototype.slice.call(root.querySelectorAll("*")));
    nodes.forEach(function (el) {
      if (el.nodeType !== 1) return;
      NAMED.forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value !== null && value.indexOf(from) === 0) el.setAttribute(attr, to + value.slice(from.length));
      });
      if (el.name === "_zsa_list") {
        var parts = el.value.split(":");
        if (parts.length === 2 && parts[1].indexOf(from) === 0) el.value = parts[0] + ":" + to + parts[1].slice(from.length);
      }
      IDS.forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value === null) return;
        el.setAttribute(attr, value.split(" ").map(function (token) {
          for (var i = 0; i < idFrom.length; i++) {
            if (token.indexOf(idFrom[i]) === 0) return idTo[i] + token.slice(idFrom[i].length);
          }
          return token;
        }).join(" "));
      });
      if (el.tagName === "TEMPLATE") rename(el.content, from, to);
    });
  }

  /* Number the entries 1..n again: names `list.N.`, "Eintrag N", the count and the buttons' state. */
  function renumber(list) {
    var name = list.getAttribute("data-zsa-list");
    var items = entries(list);
    items.forEach(function (item, index) {
      var from = item.getAttribute("data-zsa-prefix");
      var to = name + "." + index + ".";
      if (from !== to) rename(item, from, to);
      var legend = item.querySelector(":scope > legend");
      if (legend) legend.textContent = "Eintrag " + (index + 1);
      var remove = item.querySelector(":scope > .zsa-entry-remove");
      if (remove) remove.textContent = "Eintrag " + (index + 1) + " entfernen";
    });
    var count = list.querySelector(":scope > input[data-zsa-count]");
    if (count) count.value = String(items.length);
    var min = Number(list.getAttribute("data-zsa-min") || 0);
    var max = Number(list.getAttribute("data-zsa-max") || 100);
    var add = list.querySelector(":scope > .zsa-entry-add");
    if (add) add.disabled = items.length >= max;
    items.forEach(function (item) {
      var remove = item.querySelector(":scope > .zsa-entry-remove");
      if (remove) remove.hidden = items.length <= min;
    });
  }

  function announce(list, text) {
    var status = list.querySelector(":scope > [data-zsa-status]");
    if (status) status.textContent = text;
  }

  function firstInput(root) {
    return root.querySelector("input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])");
  }

  function listClick(event, state) {
    var button = event.target.closest("button[name=_zsa_list]");
    if (!button) return;
    var list = button.closest("[data-zsa-list]");
    if (!list) return;
    event.preventDefault();
    if (button.classList.contains("zsa-entry-add")) {
      var template = list.querySelector(":scope > template.zsa-entry-template");
      if (!template) return;
      var box = list.querySelector(":scope > .zsa-entries");
      var fragment = template.content.cloneNode(true);
      var item = fragment.firstElementChild;
      box.appendChild(fragment);
      renumber(list);
      if (state) state.update();
      announce(list, "Eintrag " + entries(list).length + " hinzugefügt");
      var input = firstInput(item);
      (input || item).focus();
    } else {
      var gone = button.closest(".zsa-entry");
      var items = entries(list);
      var next = items[items.indexOf(gone) + 1] || items[items.indexOf(gone) - 1];
      announce(list, "Eintrag " + (items.indexOf(gone) + 1) + " entfernt");
      gone.parentNode.removeChild(gone);
      renumber(list);
      if (state) state.update();
      var target = (next && firstInput(next)) || list.querySelector(":scope > .zsa-entry-add") || list;
      if (target === list) list.setAttribute("tabindex", "-1");
      target.focus();
    }
  }

  /* ------------------------------------------------------------ tables */

  /* form-js `rowCount`: the rows page by page (without script the server shows them all). */
  function paginate(table) {
    var size = Number(table.getAttribute("data-zsa-row-count"));
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody > tr"));
    if (!size || rows.length <= size) return;
    var pages = Math.ceil(rows.length / size);
    var page = 0;
    var nav = document.createElement("div");
    nav.className = "zsa-table-pages";
    var back = document.createElement("button");
    var next = document.createElement("button");
    var status = document.createElement("span");
    back.type = next.type = "button";
    back.textContent = "Vorherige Seite";
    next.textContent = "Nächste Seite";
    status.setAttribute("aria-live", "polite");
    [back, status, next].forEach(function (el) { nav.appendChild(el); });
    table.parentNode.insertBefore(nav, table.nextSibling);
    function show() {
      rows.forEach(function (row, index) { row.hidden = Math.floor(index / size) !== page; });
      status.textContent = "Seite " + (page + 1) + " von " + pages;
      back.disabled = page === 0;
      next.disabled = page === pages - 1;
    }
    back.addEventListener("click", function () { page = Math.max(page - 1, 0); show(); });
    next.addEventListener("click", function () { page = Math.min(page + 1, pages - 1); show(); });
    show();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".zsa-form table[data-zsa-row-count]"), paginate);
    Array.prototype.forEach.call(document.querySelectorAll(".zsa-form[data-zsa-form]"), function (container) {
      var state = new FormState(container);
      if (state.form) {
        container.addEventListener("click", function (event) {
          listClick(event, state.context ? state : null);
        });
      }
      if (!state.form || !state.context) return;
      var update = function () { state.update(); };
      state.form.addEventListener("input", update);
      state.form.addEventListener("change", function () { update(); state.checkRules(); });
      update();
    });
    var summary = document.getElementById("zsa-error-summary");
    if (summary) {
      summary.focus();
      summary.addEventListener("click", focusField);
    }
  }

  /* A link of the error summary puts the cursor into its field, with the field's label in view. */
  function focusField(event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) return;
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    var group = field.closest("fieldset");
    (group && group.querySelector("legend") || label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
