// The check-in list on a phone. Every tap is a mark with its own id, written to localStorage
// first (so neither a lost connection nor a reload loses it), shown at once, then sent in
// batches; a mark leaves the phone's queue only when the server has answered for it. The server
// orders marks by the time they were made and ignores one it already has, so resending is safe
// and two phones end up agreeing. Walk-ins typed offline wait in the same way. Everything the
// server sends is put on the page as text, never as HTML. Without this script the list still
// works: each person's button posts one mark.
(function () {
  "use strict";
  var root = document.getElementById("checkin");
  if (!root) return;
  var d = root.dataset;
  var MARKS_KEY = "checkin:marks:" + d.event;
  var WALKINS_KEY = "checkin:walkins:" + d.event;
  var BATCH = parseInt(d.batch, 10) || 100;
  var REFRESH_MS = 30000;
  var RETRY_MAX_MS = 60000;
  var DOUBLE_TAP_MS = 700;

  var list = document.getElementById("checkin-list");
  var searchInput = document.getElementById("checkin-search");
  var walkInForm = document.getElementById("walk-in-form");
  var net = root.querySelector("[data-net]");
  var toast = root.querySelector("[data-toast]");
  var nobody = root.querySelector("[data-nobody]");
  var people = readJSON(document.getElementById("checkin-people"), []);
  var memory = {}; // the queues, when localStorage refuses to keep them
  var sending = false;
  var failures = 0;
  var lastError = "";
  var retryTimer = null;
  var lastTap = {};

  // --- small helpers ----------------------------------------------------------------------
  function readJSON(node, fallback) {
    try { return node ? JSON.parse(node.textContent) : fallback; } catch (e) { return fallback; }
  }

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, key) {
      return values[key] === undefined ? all : values[key];
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function normalise(text) {
    return String(text || "").toLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ").trim();
  }

  function clock(iso) {
    var date = iso ? new Date(iso) : new Date();
    return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function csrf() {
    var field = document.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  var toastTimer = null;
  function say(text) {
    if (!toast) return;
    toast.textContent = text;
    toast.hidden = !text;
    if (toastTimer) clearTimeout(toastTimer);
    if (text) toastTimer = setTimeout(function () { toast.hidden = true; }, 15000);
  }

  // --- the queues (localStorage first, re-read before every change: other tabs write too) --
  function load(key) {
    try {
      var raw = window.localStorage.getItem(key);
      if (raw !== null) return JSON.parse(raw) || [];
    } catch (e) { /* private mode or a broken value: the copy in memory */ }
    return memory[key] || [];
  }

  function save(key, items) {
    memory[key] = items;
    try {
      window.localStorage.setItem(key, JSON.stringify(items));
    } catch (e) {
      say(d.lStorage);
    }
  }

  function change(key, fn) {
    var items = fn(load(key));
    save(key, items);
    return items;
  }

  // --- the people as this phone sees them: the server's state, then the marks not sent -----
  function findPerson(id) {
    for (var i = 0; i < people.length; i++) if (String(people[i].id) === String(id)) return people[i];
    return null;
  }

  function effective(person, marks) {
    var state = { attended: person.attended, time: person.time, pending: false };
    marks.forEach(function (mark) {
      if (String(mark.registration) !== String(person.id)) return;
      state.pending = true;
      if (mark.action === "in") {
        if (!state.attended) state.time = clock(mark.at);
        state.attended = true;
      } else {
        state.attended = false;
        state.time = "";
      }
    });
    return state;
  }

  function metaText(person) {
    var parts = [];
    if (person.school_name) parts.push(person.school_name);
    if (person.school_class) parts.push(fill(d.lClass, { n: person.school_class }));
    if (person.category_label) parts.push(person.category_label);
    return parts.join(" · ");
  }

  function row(person, state) {
    var li = el("li", "checkin-person");
    li.id = "person-" + person.id;
    var button = el("button", "checkin-toggle");
    button.type = "submit";
    button.name = "mark";
    button.setAttribute("data-id", person.id);
    button.appendChild(el("span", "checkin-tick")).setAttribute("aria-hidden", "true");
    var who = el("span", "checkin-who");
    who.appendChild(el("span", "checkin-name", person.full_name));
    who.appendChild(el("span", "checkin-meta", metaText(person)));
    button.appendChild(who);
    var stateText = state.attended ? fill(d.lCameAt, { time: state.time }) : d.lNotYet;
    if (state.waiting) stateText = d.lWaiting;
    button.appendChild(el("span", "checkin-state", stateText));
    button.value = (state.attended ? "undo:" : "in:") + person.id;
    button.setAttribute("aria-pressed", state.attended ? "true" : "false");
    if (state.waiting) button.setAttribute("aria-disabled", "true");
    li.classList.toggle("is-in", state.attended);
    li.classList.toggle("is-pending", state.pending);
    li.setAttribute("data-search", normalise(person.full_name + " " + (person.school_name || "")));
    li.appendChild(button);
    return li;
  }

  function sortKey(person) { return normalise(person.full_name); }

  function render() {
    var marks = load(MARKS_KEY);
    var walkIns = load(WALKINS_KEY);
    var rows = people.map(function (person) { return { person: person, state: effective(person, marks) }; });
    walkIns.forEach(function (walkIn) {
      rows.push({
        person: {
          id: "new-" + walkIn.id, full_name: walkIn.full_name, school_name: walkIn.school_name,
          school_class: walkIn.school_class, category_label: walkIn.category_label,
        },
        state: { attended: true, time: clock(walkIn.at), pending: true, waiting: true },
      });
    });
    rows.sort(function (a, b) {
      var x = sortKey(a.person), y = sortKey(b.person);
      return x < y ? -1 : x > y ? 1 : String(a.person.id) < String(b.person.id) ? -1 : 1;
    });
    var fragment = document.createDocumentFragment();
    var came = 0;
    rows.forEach(function (item) {
      if (item.state.attended) came += 1;
      fragment.appendChild(row(item.person, item.state));
    });
    list.textContent = "";
    list.appendChild(fragment);
    var counts = root.querySelector("[data-counts]");
    var text = fill(d.lCounts, { came: came, registered: rows.length });
    if (counts.textContent !== text) counts.textContent = text;
    filter();
    status(marks.length + walkIns.length);
  }

  function filter() {
    var words = normalise(searchInput ? searchInput.value : "").split(" ").filter(Boolean);
    var shown = 0;
    Array.prototype.forEach.call(list.children, function (li) {
      var haystack = li.getAttribute("data-search") || "";
      var match = words.every(function (word) { return haystack.indexOf(word) !== -1; });
      li.hidden = !match;
      if (match) shown += 1;
    });
    if (nobody) nobody.hidden = shown > 0 || !words.length;
  }

  function status(waiting) {
    if (!net) return;
    if (waiting === undefined) waiting = load(MARKS_KEY).length + load(WALKINS_KEY).length;
    var offline = navigator.onLine === false;
    var broken = !offline && failures > 0;
    net.hidden = false;
    net.classList.toggle("is-offline", offline || broken);
    net.classList.toggle("is-online", !offline && !broken);
    net.querySelector("[data-net-text]").textContent =
      offline ? d.lOffline : broken ? (lastError || d.lNoConnection) : d.lOnline;
    net.querySelector("[data-pending-text]").textContent = " · " + (
      waiting ? (sending ? d.lSending + " " : "") + fill(d.lPending, { n: waiting }) : d.lAllSent
    );
  }

  // --- taps -------------------------------------------------------------------------------
  function addMark(fields) {
    var mark = { id: uuid(), action: fields.action, at: new Date().toISOString() };
    if (fields.registration !== undefined) mark.registration = fields.registration;
    if (fields.code !== undefined) mark.code = fields.code;
    change(MARKS_KEY, function (marks) { marks.push(mark); return marks; });
    render();
    flush();
  }

  function toggle(id) {
    var now = Date.now();
    if (lastTap[id] && now - lastTap[id] < DOUBLE_TAP_MS) return; // a double tap is one tap
    lastTap[id] = now;
    var person = findPerson(id);
    if (!person) return;
    var state = effective(person, load(MARKS_KEY));
    addMark({ registration: person.id, action: state.attended ? "undo" : "in" });
  }

  list.addEventListener("click", function (event) {
    var button = event.target.closest("button.checkin-toggle");
    if (!button) return;
    event.preventDefault();
    if (button.getAttribute("aria-disabled") === "true") return;
    toggle(button.getAttribute("data-id"));
  });

  if (searchInput) {
    root.querySelector("[data-search-box]").hidden = false;
    searchInput.addEventListener("input", filter);
  }

  // --- sending ----------------------------------------------------------------------------
  function failure(response) {
    var error = new Error(response.status === 403 || response.status === 404 ? d.lSignIn : d.lFailed);
    error.status = response.status;
    return error;
  }

  function post(url, body, contentType) {
    var headers = { "X-CSRFToken": csrf(), "X-Requested-With": "fetch", Accept: "application/json" };
    if (contentType) headers["Content-Type"] = contentType;
    return fetch(url, { method: "POST", credentials: "same-origin", headers: headers, body: body });
  }

  function takePerson(person) {
    for (var i = 0; i < people.length; i++) {
      if (people[i].id === person.id) { people[i] = person; return; }
    }
    people.push(person);
  }

  function sendMarks(batch) {
    var body = JSON.stringify({ sent_at: new Date().toISOString(), marks: batch });
    return post(d.syncUrl, body, "application/json").then(function (response) {
      if (!response.ok) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          var error = failure(response);
          if (response.status === 400 && answer.error) error.message = answer.error;
          throw error;
        });
      }
      return response.json();
    }).then(function (answer) {
      var answered = {};
      var refusals = [];
      var byCode = {};
      batch.forEach(function (mark) { if (mark.code) byCode[mark.id] = true; });
      (answer.results || []).forEach(function (result) {
        if (!result || !result.id) return;
        answered[result.id] = true;
        if (result.ok && result.person) takePerson(result.person);
        else if (!result.ok) refusals.push(result.error);
        if (byCode[result.id]) { // a scanned code the list did not know: the server says who
          scannedSays(result.ok && result.person
            ? fill(d.lScanned, { name: result.person.full_name }) : result.error);
        }
      });
      // Only marks the server answered leave the queue (a refused one would be refused again).
      change(MARKS_KEY, function (marks) {
        return marks.filter(function (mark) { return !answered[mark.id]; });
      });
      if (refusals.length) say(refusals.join(" "));
      if (answer.counts && answer.counts.registered !== people.length) refresh();
    });
  }

  function sendWalkIn(walkIn) {
    var data = new FormData();
    ["full_name", "school_name", "category", "school_class", "at"].forEach(function (name) {
      data.append(name, walkIn[name] || "");
    });
    return post(d.walkInUrl, data).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (answer) {
        if (response.ok && answer && answer.ok) {
          takePerson(answer.person);
        } else if (response.status === 400 && answer && answer.error) {
          say(walkIn.full_name + ": " + answer.error); // refused for good: say why, drop it
        } else {
          throw failure(response);
        }
        change(WALKINS_KEY, function (items) {
          return items.filter(function (item) { return item.id !== walkIn.id; });
        });
      });
    });
  }

  function flush() {
    if (sending) return;
    var walkIns = load(WALKINS_KEY);
    var marks = load(MARKS_KEY);
    if (!walkIns.length && !marks.length) { status(0); return; }
    if (navigator.onLine === false) { status(); return; }
    sending = true;
    status();
    var job = walkIns.length ? sendWalkIn(walkIns[0]) : sendMarks(marks.slice(0, BATCH));
    job.then(function () {
      sending = false;
      failures = 0;
      lastError = "";
      render();
      if (load(MARKS_KEY).length || load(WALKINS_KEY).length) flush();
    }, function (error) {
      sending = false;
      failures += 1;
      lastError = error && error.message ? error.message : d.lFailed;
      render();
      retryLater();
    });
  }

  function retryLater() {
    if (retryTimer) clearTimeout(retryTimer);
    var delay = Math.min(RETRY_MAX_MS, 2000 * Math.pow(2, Math.max(0, failures - 1)));
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, delay);
  }

  function refresh() {
    if (navigator.onLine === false || sending) return;
    fetch(d.dataUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch", Accept: "application/json" } })
      .then(function (response) { if (!response.ok) throw failure(response); return response.json(); })
      .then(function (answer) {
        if (Array.isArray(answer.people)) { people = answer.people; render(); }
      })
      .catch(function () { /* the next refresh or send tries again */ });
  }

  window.addEventListener("online", function () { failures = 0; flush(); refresh(); });
  window.addEventListener("offline", function () { status(); });
  window.addEventListener("storage", function (event) {
    if (event.key === MARKS_KEY || event.key === WALKINS_KEY) render();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { flush(); refresh(); }
  });
  setInterval(function () {
    if (document.visibilityState !== "hidden" && !load(MARKS_KEY).length) refresh();
  }, REFRESH_MS);

  // --- walk-ins ---------------------------------------------------------------------------
  if (walkInForm) {
    var walkInError = walkInForm.querySelector("[data-walk-in-error]");
    walkInForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var form = walkInForm.elements;
      var name = form.full_name.value.replace(/\s+/g, " ").trim();
      var school = form.school_name.value.replace(/\s+/g, " ").trim();
      if (name.length < 2) {
        walkInError.textContent = d.lNameNeeded;
        walkInError.hidden = false;
        form.full_name.focus();
        return;
      }
      walkInError.hidden = true;
      var chosen = walkInForm.querySelector("[name=category]:checked");
      var category = chosen ? chosen.value : "";
      var walkIn = {
        id: uuid(), full_name: name, school_name: school, category: category,
        category_label: chosen ? chosen.parentNode.textContent.trim().toLowerCase() : "",
        school_class: category === "pupil" ? form.school_class.value.trim() : "",
        at: new Date().toISOString(),
      };
      change(WALKINS_KEY, function (items) {
        var same = items.some(function (item) {
          return normalise(item.full_name) === normalise(name) && normalise(item.school_name) === normalise(school);
        });
        if (!same) items.push(walkIn);
        return items;
      });
      form.full_name.value = "";
      form.school_class.value = "";
      say(fill(d.lAdded, { name: name }));
      render();
      flush();
    });
  }

  // --- the QR scanner (where the browser has BarcodeDetector and a camera) ------------------
  var scanButton = root.querySelector("[data-scan]");
  var scanner = root.querySelector("[data-scanner]");
  var video = root.querySelector("[data-scanner-video]");
  var scanResult = root.querySelector("[data-scanner-result]");
  var stream = null;
  var detector = null;
  var lastCode = { code: "", at: 0 };
  var codePrefix = (d.codeUrl || "").split("CODE")[0];

  function scannedSays(text) {
    if (scanResult && scanner && !scanner.hidden) scanResult.textContent = text || "";
  }

  function codeHash(code) {
    if (!(window.crypto && window.crypto.subtle && window.TextEncoder)) return Promise.resolve(null);
    return window.crypto.subtle.digest("SHA-256", new TextEncoder().encode(code)).then(function (buffer) {
      return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
        return (b < 16 ? "0" : "") + b.toString(16);
      }).join("").slice(0, 24);
    }).catch(function () { return null; });
  }

  function codeFrom(text) {
    var at = codePrefix ? String(text).indexOf(codePrefix) : -1;
    if (at === -1) return null;
    var code = String(text).slice(at + codePrefix.length).split(/[/?#]/)[0];
    try { code = decodeURIComponent(code); } catch (e) { return null; }
    return /^[A-Za-z0-9_-]{8,64}$/.test(code) ? code : null;
  }

  function scanned(text) {
    var code = codeFrom(text);
    var now = Date.now();
    if (code && code === lastCode.code && now - lastCode.at < 4000) return; // still in front of the camera
    lastCode = { code: code || text, at: now };
    if (!code) { scanResult.textContent = d.lNotACode; return; }
    codeHash(code).then(function (hash) {
      var person = null;
      for (var i = 0; hash && i < people.length; i++) if (people[i].code_hash === hash) person = people[i];
      if (!person) {
        scanResult.textContent = d.lChecking; // the server says who it is (or why not)
        addMark({ code: code, action: "in" });
        return;
      }
      if (effective(person, load(MARKS_KEY)).attended) {
        scanResult.textContent = fill(d.lAlready, { name: person.full_name });
        return;
      }
      scanResult.textContent = fill(d.lScanned, { name: person.full_name });
      addMark({ registration: person.id, action: "in" });
    });
  }

  function scanLoop() {
    if (!stream || !detector) return;
    detector.detect(video).then(function (codes) {
      if (codes && codes.length) scanned(codes[0].rawValue);
    }).catch(function () { /* a frame not ready yet */ }).then(function () {
      if (stream) setTimeout(scanLoop, 250);
    });
  }

  function stopScan() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
    scanner.hidden = true;
  }

  function startScan() {
    scanner.hidden = false;
    scanResult.textContent = "";
    navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.muted = true;
        video.setAttribute("playsinline", "");
        return video.play();
      })
      .then(function () {
        detector = detector || new window.BarcodeDetector({ formats: ["qr_code"] });
        scanLoop();
      })
      .catch(function () { scanResult.textContent = d.lNoCamera; stopScan(); scanner.hidden = false; });
  }

  if (scanButton && "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    Promise.resolve(window.BarcodeDetector.getSupportedFormats ? window.BarcodeDetector.getSupportedFormats() : ["qr_code"])
      .then(function (formats) { if (formats.indexOf("qr_code") !== -1) scanButton.hidden = false; })
      .catch(function () { /* no QR support: the button stays hidden */ });
    scanButton.addEventListener("click", function () { if (stream) stopScan(); else startScan(); });
    root.querySelector("[data-scanner-close]").addEventListener("click", stopScan);
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") stopScan(); });
  }

  // --- start: what was kept from before a reload goes first ----------------------------------
  render();
  flush();
})();
