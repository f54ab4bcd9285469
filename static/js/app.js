// Site-wide behaviour. Templates hold no inline scripts or event-handler attributes: the
// Content-Security-Policy allows scripts from our static files only (mktdept/settings/base.py).

// Ask before a destructive action: <form data-confirm="..."> or <button data-confirm="...">.
document.addEventListener("submit", function (event) {
  var source = event.submitter && event.submitter.hasAttribute("data-confirm") ? event.submitter : event.target;
  var message = source.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

function csrfInputs(form) {
  return Array.prototype.filter.call(form.elements, function (element) {
    return element.name === "csrfmiddlewaretoken";
  });
}

// The CSRF cookie is HttpOnly, so htmx takes Django's token from the page: the request's own form
// first, else any form on the page (every page has one in the navigation bar). GET requests send
// none: the token would end up in the URL, the history and the server logs. GET forms carry no
// token at all (tests/core/test_security_headers.py), and "Show the chart" posts its form.
document.addEventListener("htmx:configRequest", function (event) {
  var detail = event.detail;
  if (detail.verb === "get") {
    delete detail.parameters.csrfmiddlewaretoken;
    return;
  }
  var form = detail.elt.closest("form");
  var token = (form && csrfInputs(form)[0]) || document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) {
    detail.headers["X-CSRFToken"] = token.value;
  }
});

// Progress bars: <div class="progress-bar" data-progress="40">. The width is set through the CSSOM
// because the policy blocks style attributes; htmx:load fires for the page and every swap.
document.addEventListener("htmx:load", function (event) {
  event.detail.elt.querySelectorAll("[data-progress]").forEach(function (bar) {
    var value = Math.max(0, Math.min(100, parseInt(bar.getAttribute("data-progress"), 10) || 0));
    bar.style.width = value + "%";
  });
});
