/* The subject teacher's mark grid (issue 4). Vanilla JavaScript, no build step, no CDN.
 *
 * The browser never decides what a mark is and never computes an average: it sends what was
 * typed, as typed ("8,5" or "8.5"), with the version each cell was read at, to the grid's save
 * endpoint (marks_save on the server, all or nothing), and shows what the server answers — the
 * stored text, the new version, the row's averages from the rules engine, or why a cell was
 * refused (in place, with the typed text kept).
 */
(function () {
  "use strict";

  var table = document.getElementById("mark-grid");
  if (!table || table.dataset.editable !== "1") return;

  var messages = {};
  try {
    messages = JSON.parse(document.getElementById("grid-messages").textContent);
  } catch (e) { /* the page always has them; fall back to the keys */ }
  function t(key, values) {
    var text = messages[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("%(" + name + ")s").join(String(values[name]));
    });
    return text;
  }

  var saveUrl = table.dataset.saveUrl;
  var csrf = table.dataset.csrf;
  var statusEl = document.getElementById("grid-status");
  var saveButton = document.getElementById("grid-save");
  var DEBOUNCE_MS = 800;

  var rows = Array.prototype.filter.call(table.tBodies[0].rows, function (row) {
    return row.dataset.enrollment;
  });
  var matrix = rows.map(function (row) {
    return Array.prototype.slice.call(row.querySelectorAll("input.mark"));
  });
  var position = new Map();
  matrix.forEach(function (cells, r) {
    cells.forEach(function (input, c) { position.set(input, [r, c]); });
  });

  var dirty = new Set(); // inputs whose text differs from the stored one
  var blocked = new Map(); // input → "invalid" | "stale" | "refused": wait for the person
  var sending = new Map(); // input → the text in flight
  var inFlight = false;
  var again = false;
  var timer = null;
  var retryTimer = null;
  var editing = null; // the input in F2 edit mode: arrows move the caret, not the focus
  var lastFailure = "";

  function cellOf(input) { return input.closest("td"); }
  function inputAt(enrollment, kind, index) {
    return table.querySelector(
      'input.mark[data-enrollment="' + enrollment + '"][data-kind="' + kind +
      '"][data-index="' + index + '"]');
  }

  // --- status line -------------------------------------------------------------------------
  function refreshStatus() {
    var waiting = 0;
    dirty.forEach(function (input) { if (!blocked.has(input)) waiting += 1; });
    saveButton.disabled = waiting === 0 || inFlight;
    statusEl.className = "small";
    if (inFlight) {
      statusEl.textContent = t("saving");
    } else if (lastFailure) {
      statusEl.textContent = lastFailure;
      statusEl.classList.add("fail");
    } else if (blocked.size) {
      statusEl.textContent = t("problems", { n: blocked.size });
      statusEl.classList.add("fail");
    } else if (waiting) {
      statusEl.textContent = t("dirty", { n: waiting });
      statusEl.classList.add("dirty");
    } else {
      statusEl.textContent = t("saved");
    }
  }

  // --- problems shown in place -------------------------------------------------------------
  function clearProblem(input) {
    blocked.delete(input);
    var td = cellOf(input);
    td.classList.remove("bad", "stale");
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
    var note = td.querySelector(".cell-msg");
    if (note) note.remove();
  }

  function button(label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", function (event) {
      event.preventDefault();
      onClick();
    });
    return b;
  }

  function showProblem(input, problem) {
    clearProblem(input);
    var td = cellOf(input);
    blocked.set(input, problem.code);
    td.classList.add(problem.code === "stale" ? "stale" : "bad");
    input.setAttribute("aria-invalid", "true");
    var note = document.createElement("div");
    note.className = "cell-msg";
    note.id = "msg-" + Math.random().toString(36).slice(2);
    note.setAttribute("role", "alert");
    var text = document.createElement("div");
    text.textContent = problem.message;
    note.appendChild(text);
    if (problem.code === "invalid" && problem.suggestion) {
      note.appendChild(button(t("use", { v: problem.suggestion }), function () {
        input.value = problem.suggestion;
        clearProblem(input);
        changed(input);
        saveSoon(0);
        input.focus();
      }));
    } else if (problem.code === "stale") {
      var current = problem.current_text || t("empty");
      note.appendChild(button(t("keep_theirs", { v: current }), function () {
        input.dataset.saved = problem.current_text;
        input.dataset.version = problem.current_version;
        input.value = problem.current_text;
        clearProblem(input);
        changed(input);
        input.focus();
      }));
      note.appendChild(button(t("keep_mine"), function () {
        input.dataset.version = problem.current_version; // the person chose: base it on theirs
        clearProblem(input);
        changed(input);
        saveSoon(0);
        input.focus();
      }));
    } else if (problem.code === "refused") {
      note.appendChild(button(t("revert"), function () { revert(input); input.focus(); }));
    }
    td.appendChild(note);
    input.setAttribute("aria-describedby", note.id);
  }

  // --- editing -----------------------------------------------------------------------------
  function changed(input) {
    var td = cellOf(input);
    if (input.value !== input.dataset.saved) {
      dirty.add(input);
      td.classList.add("dirty");
    } else {
      dirty.delete(input);
      td.classList.remove("dirty");
    }
    lastFailure = "";
    refreshStatus();
  }

  function revert(input) {
    input.value = input.dataset.saved;
    clearProblem(input);
    changed(input);
    input.select();
  }

  function focusCell(r, c) {
    if (r < 0 || r >= matrix.length) return false;
    var cells = matrix[r];
    if (c < 0 || c >= cells.length) return false;
    editing = null;
    cells[c].focus();
    return true;
  }

  var justFocused = null;
  var selectLater = null;
  table.addEventListener("focusin", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !position.has(input)) return;
    if (editing !== input) {
      // Typing replaces the cell, as in a spreadsheet. Select now, so that a key typed at once
      // after Tab replaces the cell; select again after the browser has placed the caret, unless
      // the teacher has typed meanwhile (a late select would swallow the first digit: "6.5" → ",5").
      justFocused = input;
      selectLater = input;
      input.select();
      window.requestAnimationFrame(function () {
        if (selectLater === input && document.activeElement === input) input.select();
        selectLater = null;
      });
    }
  });

  // A click that focuses a cell keeps the whole text selected (the mouseup would collapse it).
  table.addEventListener("mouseup", function (event) {
    if (event.target === justFocused) event.preventDefault();
    justFocused = null;
  });

  table.addEventListener("focusout", function (event) {
    var input = event.target;
    if (!position.has(input)) return;
    if (editing === input) editing = null;
    if (dirty.has(input)) saveSoon(150); // on leaving a cell; moving on batches the cells
  });

  table.addEventListener("dblclick", function (event) {
    if (position.has(event.target)) editing = event.target;
  });

  table.addEventListener("input", function (event) {
    var input = event.target;
    if (!position.has(input)) return;
    selectLater = null;
    if (blocked.has(input)) clearProblem(input);
    changed(input);
    saveSoon(DEBOUNCE_MS);
  });

  table.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!position.has(input) || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key.length === 1) selectLater = null; // a character typed: keep what it wrote
    var at = position.get(input);
    var r = at[0];
    var c = at[1];
    var inEdit = editing === input;
    var moved = false;
    switch (event.key) {
      case "ArrowUp": moved = focusCell(r - 1, c) || true; break;
      case "ArrowDown": moved = focusCell(r + 1, c) || true; break;
      case "ArrowLeft":
        if (inEdit && input.selectionStart > 0) return;
        moved = focusCell(r, c - 1) || true; break;
      case "ArrowRight":
        if (inEdit && input.selectionEnd < input.value.length) return;
        moved = focusCell(r, c + 1) || true; break;
      case "Enter":
        moved = focusCell(event.shiftKey ? r - 1 : r + 1, c) || true;
        if (dirty.has(input)) saveSoon(150);
        break;
      case "Tab":
        if (event.shiftKey) {
          moved = focusCell(r, c - 1) || focusCell(r - 1, (matrix[r - 1] || []).length - 1);
        } else {
          moved = focusCell(r, c + 1) || focusCell(r + 1, 0);
        }
        break; // at the grid's edge Tab leaves the grid as usual
      case "Escape":
        revert(input);
        moved = true;
        break;
      case "F2":
        editing = input;
        var end = input.value.length;
        input.setSelectionRange(end, end);
        moved = true;
        break;
      default:
        return;
    }
    if (moved) event.preventDefault();
  });

  // A block copied from Excel or Google Sheets: rows by newline, cells by tab.
  table.addEventListener("paste", function (event) {
    var input = event.target;
    if (!position.has(input)) return;
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (!text || !/[\t\r\n]/.test(text.replace(/[\r\n]+$/, ""))) return; // one value: as typed
    event.preventDefault();
    var lines = text.replace(/(\r\n|\r|\n)$/, "").split(/\r\n|\r|\n/);
    var at = position.get(input);
    var filled = 0;
    var skipped = 0;
    lines.forEach(function (line, i) {
      line.split("\t").forEach(function (value, j) {
        var row = matrix[at[0] + i];
        var target = row && row[at[1] + j];
        if (!target || target.readOnly) {
          skipped += 1;
          return;
        }
        target.value = value.trim();
        if (blocked.has(target)) clearProblem(target);
        changed(target);
        filled += 1;
      });
    });
    saveSoon(0);
    var note = t("pasted", { n: filled });
    if (skipped) note += " " + t("skipped", { n: skipped });
    statusEl.textContent = note;
  });

  // --- saving ------------------------------------------------------------------------------
  function saveSoon(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
  }

  function save() {
    window.clearTimeout(timer);
    window.clearTimeout(retryTimer);
    if (inFlight) {
      again = true;
      return;
    }
    var cells = [];
    dirty.forEach(function (input) {
      if (blocked.has(input)) return;
      sending.set(input, input.value);
      cellOf(input).classList.add("saving");
      cells.push({
        enrollment: input.dataset.enrollment,
        kind: input.dataset.kind,
        index: Number(input.dataset.index),
        text: input.value,
        base_version: Number(input.dataset.version),
      });
    });
    if (!cells.length) {
      refreshStatus();
      return;
    }
    inFlight = true;
    lastFailure = "";
    refreshStatus();
    fetch(saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrf,
        "X-Requested-With": "XMLHttpRequest",
      },
      body: JSON.stringify({ cells: cells }),
    })
      .then(function (response) {
        return response.json().then(
          function (data) { return { status: response.status, data: data }; },
          function () { return { status: response.status, data: {} }; });
      })
      .then(answer, function () {
        lastFailure = t("offline");
        retryTimer = window.setTimeout(save, 5000);
      })
      .then(function () {
        inFlight = false;
        sending.forEach(function (_, input) { cellOf(input).classList.remove("saving"); });
        sending.clear();
        refreshStatus();
        if (again) {
          again = false;
          save();
        }
      });
  }

  function answer(reply) {
    var data = reply.data || {};
    if (reply.status === 200) {
      applyRows(data.rows || []);
      if ((data.saved || []).length) {
        // New drafts exist: 'Hoàn tất' has something to submit now.
        Array.prototype.forEach.call(document.querySelectorAll("form.js-submit button"),
          function (b) { b.disabled = false; });
      }
      // Cells sent but not in any row (cleared cells never written) are clean when still empty.
      sending.forEach(function (text, input) {
        if (input.value === text && text.trim() === "" && input.dataset.saved === "") {
          changed(input);
        }
      });
      return;
    }
    if ((reply.status === 422 || reply.status === 409) && data.problems && data.problems.length) {
      var shown = 0;
      data.problems.forEach(function (problem) {
        var input = inputAt(problem.enrollment, problem.kind, problem.index);
        if (!input) return;
        shown += 1;
        if (input.value !== sending.get(input)) return; // retyped since: the new text decides
        showProblem(input, problem);
      });
      // Nothing was written (one transaction). The cells without a problem go again on their
      // own, so one bad cell never holds back a column; the bad ones wait for the person.
      if (shown) again = true;
      else lastFailure = t("error") + (data.message || reply.status);
      return;
    }
    lastFailure = t("error") + (data.message || reply.status);
  }

  function applyRows(rowsData) {
    rowsData.forEach(function (rowData) {
      var tr = table.querySelector('tr[data-enrollment="' + rowData.enrollment + '"]');
      if (!tr) return;
      rowData.cells.forEach(function (cell) {
        var input = inputAt(rowData.enrollment, cell.kind, cell.index);
        if (!input) return;
        var wasVersion = input.dataset.version;
        input.dataset.version = cell.version;
        input.dataset.saved = cell.text;
        if (sending.has(input) && input.value === sending.get(input)) {
          var selected = document.activeElement === input &&
            input.selectionStart === 0 && input.selectionEnd === input.value.length;
          input.value = cell.text; // as stored: "8" shows as "8,0"
          if (selected) input.select();
          if (String(wasVersion) !== String(cell.version)) {
            var td = cellOf(input);
            td.classList.remove("saved");
            void td.offsetWidth; // restart the flash
            td.classList.add("saved");
          }
        }
        changed(input);
      });
      setText(tr.querySelector('[data-average="semester"]'), rowData.semester_average);
      setText(tr.querySelector('[data-average="year"]'), rowData.year_average);
      setText(tr.querySelector("[data-missing]"), (rowData.missing || []).join(", "));
    });
  }

  function setText(element, text) {
    if (!element || element.textContent === text) return;
    element.textContent = text;
    element.classList.remove("changed");
    void element.offsetWidth;
    element.classList.add("changed");
  }

  saveButton.addEventListener("click", function () { save(); });

  // Everything typed is saved before a 'Hoàn tất' or the mid-term date leaves the page.
  function whenIdle(then) {
    save();
    var waited = 0;
    (function poll() {
      var waiting = 0;
      dirty.forEach(function (input) { if (!blocked.has(input)) waiting += 1; });
      if ((!inFlight && waiting === 0) || waited > 10000) {
        then();
        return;
      }
      waited += 100;
      window.setTimeout(poll, 100);
    })();
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.js-submit, form.js-flush"),
    function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var question = form.dataset.confirm;
        if (question && !window.confirm(question)) return;
        whenIdle(function () { form.submit(); });
      });
    });

  window.addEventListener("beforeunload", function (event) {
    if (dirty.size || inFlight) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  refreshStatus();
})();
