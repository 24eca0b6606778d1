/* A punchout's transfer page (OCI or cXML): send the basket to the procurement
 * system at once (the button does the same when scripts are off). */
(function () {
  "use strict";
  var form = document.querySelector("form[data-punchout-transfer]");
  if (form) {
    form.submit();
  }
})();
