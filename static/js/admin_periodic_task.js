// django-celery-beat's periodic task form: show the chosen crontab schedule in words under the
// field (its original inline script, moved here for the Content-Security-Policy).
(function () {
  var script = document.getElementById("periodic-task-overrides");
  var data = document.getElementById("readable-crontabs");
  var select = document.getElementById("id_crontab");
  var field = document.querySelector(".field-crontab");
  if (!script || !data || !select || !field) {
    return;
  }
  var readable = JSON.parse(data.textContent);
  var translation = document.querySelector(".field-crontab_translation");
  if (translation) {
    translation.hidden = true;
  }
  var words = document.createElement("div");
  words.className = "help";
  words.setAttribute("data-testid", "crontab-in-words");
  field.appendChild(words);
  function show() {
    var text = readable[select.value];
    words.textContent = text ? script.getAttribute("data-label") + ": " + text : "";
  }
  select.addEventListener("change", show);
  show();
})();
