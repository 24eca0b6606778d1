/* The OCI transfer page: send the basket to the procurement system at once (the
 * button does the same when scripts are off). */
(function () {
  "use strict";
  var form = document.getElementById("oci-transfer");
  if (form) {
    form.submit();
  }
})();
