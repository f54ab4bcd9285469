// Report form: the policy fieldset is shown only when the type is "policy" (or when it holds errors).
(function () {
  "use strict";
  function setUp() {
    var kind = document.querySelector("[data-report-form] select[name=kind]");
    var fields = document.querySelector("[data-report-form] .intel-policy-fields");
    if (!kind || !fields) {
      return;
    }
    function update() {
      var hasErrors = fields.querySelector(".is-invalid, .invalid-feedback") !== null;
      fields.hidden = kind.value !== "policy" && !hasErrors;
    }
    kind.addEventListener("change", update);
    update();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
