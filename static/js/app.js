// Ask before a destructive action: <form data-confirm="..."> or <button data-confirm="...">.
document.addEventListener("submit", function (event) {
  var source = event.submitter && event.submitter.hasAttribute("data-confirm") ? event.submitter : event.target;
  var message = source.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
// Send Django's CSRF token with htmx requests.
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) {
    event.detail.headers["X-CSRFToken"] = token.value;
  }
});
