/* SEND Assistant: small progressive enhancement. Every feature works without this file.
 *
 * - the ask form streams its answer from POST /api/chat/stream (Server-Sent Events) and adds
 *   the server-rendered turn to the transcript instead of reloading; focus then moves to the
 *   new answer's heading, which is how it is announced (once: the transcript is not a live region);
 * - a citation group ("[1, 2]") opens "The law behind this" and its passages in place, and
 *   "Back to the answer" returns to the group; feedback is sent without reloading, and focus
 *   moves to the thank-you that replaces the form;
 * - a page that opens on a result, an error summary or the newest answer puts focus there;
 * - "Print or save this answer" prints one answer with its citations opened;
 * - inside an embed iframe, the page tells embed.js its height.
 */
(function () {
  "use strict";

  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function scrollTo(el, block) { el.scrollIntoView({ behavior: reducedMotion ? "auto" : "smooth", block: block || "start" }); }
  function focusOn(el, block) {
    if (!el) { return; }
    if (!el.hasAttribute("tabindex")) { el.setAttribute("tabindex", "-1"); }
    el.focus({ preventScroll: true });
    scrollTo(el, block);
  }

  /* ---- citations: open "The law behind this" and the cited passages in place ---- */
  var lastCite = null;
  function openCitations(ids, focus) {
    var bodies = ids.map(function (id) { return document.getElementById(id); }).filter(Boolean);
    if (!bodies.length) { return false; }
    bodies.forEach(function (body) {
      for (var d = body.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) { d.open = true; }
    });
    if (focus) { focusOn(bodies[0]); }
    return true;
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : event.target.parentElement;
    var link = target.closest("a.cite[data-cite]");
    if (link && openCitations(link.getAttribute("data-cite").split(" "), true)) {
      event.preventDefault();
      lastCite = link;
      if (history.replaceState) { history.replaceState(null, "", "#" + link.getAttribute("data-cite").split(" ")[0]); }
      return;
    }
    var back = target.closest("a.back-to-answer");
    if (back) {
      event.preventDefault();
      var turn = back.closest(".turn");
      focusOn(lastCite && turn && turn.contains(lastCite) ? lastCite : document.getElementById(back.getAttribute("href").slice(1)), "center");
      return;
    }
    var print = target.closest("button[data-print]");
    if (print) { printPart(document.getElementById(print.getAttribute("data-print"))); }
  });

  /* ---- "About you": the summary says what is chosen ---- */
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches(".ask-options select")) { return; }
    var now = document.querySelector('.ask-options [data-now="' + (select.id === "persona" ? "persona" : "council") + '"]');
    if (now) { now.textContent = select.value ? select.options[select.selectedIndex].text : "council not chosen"; }
  });

  /* ---- print: one answer, citations expanded ---- */
  var reopened = [];
  function expandForPrint(root) {
    $all("details", root || document).forEach(function (d) {
      if (!d.open && !d.closest(".feedback")) { d.open = true; reopened.push(d); }
    });
  }
  function collapseAfterPrint() {
    reopened.forEach(function (d) { d.open = false; });
    reopened = [];
    $all(".print-target").forEach(function (el) { el.classList.remove("print-target"); });
    document.body.classList.remove("printing-part");
  }
  function printPart(part) {
    if (!part) { return; }
    document.body.classList.add("printing-part");
    part.classList.add("print-target");
    expandForPrint(part);
    window.print();
  }
  window.addEventListener("beforeprint", function () { expandForPrint($(".print-target") || document); });
  window.addEventListener("afterprint", collapseAfterPrint);

  function enhance(root) {
    $all("button[data-print]", root).forEach(function (b) { b.hidden = false; });
  }

  /* ---- feedback without reloading ---- */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("form[data-feedback]")) { sendFeedback(form, event); }
    else if (form.id === "ask-form") { askStreaming(form, event); }
  });

  function showFieldError(container, describedEl, id, text) {
    var p = document.getElementById(id);
    if (!p) {
      p = document.createElement("p");
      p.className = "error-message";
      p.id = id;
      container.insertBefore(p, container.firstElementChild && container.firstElementChild.tagName === "LEGEND"
        ? container.firstElementChild.nextSibling : container.firstChild);
    }
    p.hidden = false;
    p.innerHTML = '<span class="visually-hidden">Error:</span> ';
    p.appendChild(document.createTextNode(text));
    container.classList.add("field-error");
    var ids = (describedEl.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (ids.indexOf(id) < 0) { ids.push(id); describedEl.setAttribute("aria-describedby", ids.join(" ")); }
  }

  function sendFeedback(form, event) {
    if (!window.fetch) { return; }
    event.preventDefault();
    var data = new FormData(form);
    var fieldset = $("fieldset.radios", form);
    var prefix = form.getAttribute("aria-labelledby").replace(/-title$/, "");
    if (!data.get("helpful")) {
      showFieldError(fieldset, fieldset, prefix + "-error", "Choose yes or no");
      $("input[type=radio]", form).focus();
      return;
    }
    var status = $(".feedback-status", form);
    var body = {
      conversation_id: data.get("conversation_id"),
      conversation_token: data.get("conversation_token") || null, /* the embed's; the page's is its cookie */
      turn: parseInt(data.get("turn"), 10) || null,
      helpful: data.get("helpful") === "yes",
      reasons: data.getAll("reasons"),
      comment: (data.get("comment") || "").slice(0, 500),
      keep_question: data.get("keep_question") === "yes"
    };
    fetch("/api/feedback", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
      .then(function (response) {
        if (response.status !== 201) { throw new Error("feedback " + response.status); }
        var thanks = document.createElement("p");
        thanks.className = "feedback-thanks";
        thanks.id = form.id;
        thanks.textContent = "Thank you. We have your feedback on this answer.";
        form.parentNode.replaceChild(thanks, form);
        focusOn(thanks, "center");  /* read once, where the person is looking */
      })
      .catch(function () { form.submit(); });
  }

  /* ---- the ask form: stream the answer ---- */
  function parseEvents(buffer, onEvent) {
    var blocks = buffer.split(/\r?\n\r?\n/);
    var rest = blocks.pop();
    blocks.forEach(function (block) {
      var name = "message", data = [];
      block.split(/\r?\n/).forEach(function (line) {
        if (line.indexOf("event:") === 0) { name = line.slice(6).trim(); }
        else if (line.indexOf("data:") === 0) { data.push(line.slice(5).replace(/^ /, "")); }
      });
      if (data.length) { onEvent(name, JSON.parse(data.join("\n"))); }
    });
    return rest;
  }

  function askStreaming(form, event) {
    if (!window.fetch || !window.TextDecoder || !window.ReadableStream) { return; }
    event.preventDefault();
    var textarea = $("#message", form);
    var question = textarea.value;
    var errorEl = $("#message-error", form);
    var field = $("#message-field", form);
    if (!question.trim()) {
      showFieldError(field, textarea, "message-error", "Type your question");
      textarea.setAttribute("aria-invalid", "true");
      textarea.focus();
      return;
    }
    if (errorEl) { errorEl.hidden = true; field.classList.remove("field-error"); textarea.removeAttribute("aria-invalid"); }
    var data = new FormData(form);
    var payload = {
      message: question,
      persona: data.get("persona") || "parent",
      local_authority: data.get("fixed_local_authority") || data.get("local_authority") || null,
      conversation_id: data.get("conversation_id") || null,
      conversation_token: data.get("conversation_token") || null
    };
    var url = form.getAttribute("data-stream");
    if (document.body.classList.contains("layout-embed")) {
      url += "?layout=embed&colour=" + encodeURIComponent(data.get("colour") || "");
    }
    var button = $("button[type=submit]", form);
    var status = $("#ask-status", form);
    var preview = $("#stream-preview");
    var transcript = $("#transcript");
    button.disabled = true;
    status.textContent = "Finding an answer…";
    preview.textContent = "";
    preview.hidden = false;

    function finish(message) {
      button.disabled = false;
      status.textContent = message || "";
      preview.hidden = true;
      preview.textContent = "";
    }

    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "accept": "text/event-stream" },
      body: JSON.stringify(payload)
    }).then(function (response) {
      if (response.status === 422) {
        return response.json().then(function (body) {
          finish("");
          showFieldError(field, textarea, "message-error", body.detail || "Check your question");
          textarea.focus();
        });
      }
      if (response.status === 429) {
        return response.json().then(function (body) {
          finish(body.detail || "You have asked a lot of questions quickly. Please wait a minute and try again.");
        }, function () { finish("You have asked a lot of questions quickly. Please wait a minute and try again."); });
      }
      if (!response.ok || !response.body) { throw new Error("stream " + response.status); }
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      var added = null;
      function onEvent(name, data) {
        if (name === "meta") {
          var hidden = $("input[name=conversation_id]", form);
          if (hidden) { hidden.value = data.conversation_id; }
          var secret = $("input[name=conversation_token]", form);
          if (secret) { secret.value = data.conversation_token; }
        } else if (name === "reset") {
          preview.textContent = "";  /* the final answer replaces what was streamed so far */
        } else if (name === "error") {
          throw new Error(data.detail || "stream error");
        } else if (name === "delta") {
          preview.textContent += data.text.replace(/\*\*/g, "");
        } else if (name === "html") {
          var holder = document.createElement("div");
          holder.innerHTML = data.html;
          added = holder.firstElementChild;
          preview.hidden = true;
          transcript.appendChild(added);
          enhance(added);
        } else if (name === "done") {
          textarea.value = "";
          finish("");
          var heading = $("#ask-heading");
          if (heading) { heading.textContent = "Ask another question"; heading.classList.remove("visually-hidden"); }
          var lead = $("main > .lead");
          if (lead) { lead.hidden = true; }
          if (added) {
            /* Focus is how the answer is announced: its heading, or the urgent help that comes first. */
            var urgent = $(".urgent", added);
            if (urgent) { urgent.setAttribute("tabindex", "-1"); urgent.focus({ preventScroll: true }); scrollTo(added); }
            else { focusOn($(".turn-heading", added)); }
          }
        }
      }
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) { if (buffer.trim()) { parseEvents(buffer + "\n\n", onEvent); } return; }
          buffer = parseEvents(buffer + decoder.decode(chunk.value, { stream: true }), onEvent);
          return pump();
        });
      }
      return pump();
    }).catch(function (error) {
      if (window.console) { console.error("streaming failed, asking again without it:", error && error.message); }
      finish("");
      form.submit(); /* fall back to the page without JavaScript */
    });
  }

  /* ---- inside an embed iframe: report the height to embed.js ---- */
  function reportHeight() {
    if (window.parent === window || !document.body.classList.contains("layout-embed")) { return; }
    var height = Math.ceil(document.documentElement.scrollHeight);
    window.parent.postMessage({ type: "send-assistant:height", height: height }, "*");
  }

  /* Where a page opens: an error summary, a cited passage, a tool's result, the newest answer or a
     thank-you takes focus. After "load": the browser's own jump to a #fragment would take it back. */
  function land() {
    var errors = $(".error-summary");
    var result = $(".tool-result");
    if (errors) { focusOn(errors); }
    else if (location.hash && /-cite-\d+$/.test(location.hash)) { openCitations([location.hash.slice(1)], true); }
    else if (result) { focusOn($("h2", result) || result); }
    else if (location.hash === "#latest" && $("#latest")) { focusOn($("#latest").parentNode.querySelector(".turn-heading")); }
    else if (location.hash && /-feedback$/.test(location.hash)) { focusOn(document.getElementById(location.hash.slice(1)), "center"); }
  }

  function start() {
    enhance(document);
    if (document.readyState === "complete") { setTimeout(land, 0); }
    else { window.addEventListener("load", function () { setTimeout(land, 0); }); }
    if (window.ResizeObserver) { new ResizeObserver(reportHeight).observe(document.body); }
    reportHeight();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
