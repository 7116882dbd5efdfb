/* SEND Assistant embed snippet. A council pastes, where the chat should appear:
 *
 *   <script src="https://assistant.example/static/embed.js"
 *           data-local-authority="North Lincolnshire" data-colour="#005ea5" async></script>
 *
 * Optional: data-persona="parent|adviser|caseworker", data-height="640" (pixels, the
 * starting height), data-title (the iframe's accessible name), data-target="#some-id"
 * (an element to put the chat in; default: just after this script tag).
 * The assistant only lets pages on origins listed in SEND_ASSISTANT_EMBED_ALLOWED_ORIGINS
 * show it in a frame. On any other page the browser refuses the frame; the chat inside never
 * reports in, so after the frame loads and READY_MS pass without a word from it, this script
 * hides the empty frame and shows a link that opens the assistant in a new tab instead.
 */
(function () {
  "use strict";
  var script = document.currentScript || (function () {
    var all = document.querySelectorAll('script[src*="/static/embed.js"]');
    return all[all.length - 1];
  })();
  if (!script || script.getAttribute("data-send-assistant-done")) { return; }
  script.setAttribute("data-send-assistant-done", "1");

  var READY_MS = 3000;
  var origin = new URL(script.src, document.baseURI).origin;
  var params = new URLSearchParams();
  var la = script.getAttribute("data-local-authority");
  var colour = script.getAttribute("data-colour");
  var persona = script.getAttribute("data-persona");
  if (la) { params.set("local_authority", la); }
  if (colour && /^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/.test(colour)) { params.set("colour", colour); }
  if (persona) { params.set("persona", persona); }

  var iframe = document.createElement("iframe");
  iframe.src = origin + "/embed" + (params.toString() ? "?" + params.toString() : "");
  iframe.title = script.getAttribute("data-title") || "SEND Assistant: ask a question about special educational needs";
  iframe.setAttribute("loading", "lazy");
  iframe.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
  iframe.className = "send-assistant-frame";
  var height = parseInt(script.getAttribute("data-height"), 10) || 640;
  iframe.style.cssText = "display:block;width:100%;max-width:100%;border:1px solid #b1b4b6;height:" + height + "px";

  var target = script.getAttribute("data-target") && document.querySelector(script.getAttribute("data-target"));
  if (target) { target.appendChild(iframe); } else { script.parentNode.insertBefore(iframe, script.nextSibling); }

  /* The chat reports its height so the council's page scrolls, not a box inside it. Any report
     also says the frame was allowed to load. */
  var heard = false;
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== iframe.contentWindow) { return; }
    var data = event.data || {};
    if (data.type === "send-assistant:height") { heard = true; }
    if (data.type === "send-assistant:height" && typeof data.height === "number" && data.height > 200) {
      iframe.style.height = Math.min(Math.ceil(data.height) + 2, 20000) + "px";
    }
  });

  /* A refused frame is an empty box: replace it with a link that opens the chat in a new tab. */
  function fallback() {
    if (heard || document.getElementById(iframe.id + "-fallback")) { return; }
    var box = document.createElement("p");
    box.id = iframe.id + "-fallback";
    box.className = "send-assistant-fallback";
    box.style.cssText = "border:2px solid #0b0c0c;padding:12px 16px;margin:0;font:inherit;max-width:100%";
    box.appendChild(document.createTextNode("The SEND Assistant cannot be shown inside this page. "));
    var link = document.createElement("a");
    link.href = iframe.src;
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = "Open the SEND Assistant in a new tab";
    link.style.fontWeight = "bold";
    box.appendChild(link);
    iframe.parentNode.insertBefore(box, iframe);
    iframe.style.display = "none";
    if (window.console && console.warn) {
      console.warn("SEND Assistant: the chat was not allowed to load in a frame on " + location.origin +
                   ". Add this origin to SEND_ASSISTANT_EMBED_ALLOWED_ORIGINS on the assistant's server.");
    }
  }
  iframe.id = "send-assistant-" + Math.random().toString(36).slice(2, 10);
  iframe.addEventListener("load", function () { setTimeout(fallback, READY_MS); });
})();
