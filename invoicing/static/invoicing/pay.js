/* The card form of /cabinet/invoices/<id>/pay/ (Stripe.js, no inline script).
 * Card details go to Stripe only: the page posts the PaymentMethod id and the
 * server confirms the PaymentIntent. When the bank asks for 3-D Secure the server
 * answers with the intent's client secret (data-action-secret); handleNextAction
 * shows the bank's challenge, then the page posts #complete-form and the server
 * reads the outcome from Stripe itself. */
(function () {
  "use strict";
  var form = document.getElementById("card-form");
  if (!form || !form.dataset.publishableKey || typeof Stripe === "undefined") {
    return;
  }
  var stripe = Stripe(form.dataset.publishableKey);
  var errors = document.getElementById("card-errors");
  var button = document.getElementById("pay-button");
  var complete = document.getElementById("complete-form");

  if (form.dataset.actionSecret && complete) {
    stripe
      .handleNextAction({ clientSecret: form.dataset.actionSecret })
      .then(function () {
        complete.submit();
      });
  }

  var card = stripe.elements().create("card");
  card.mount("#card-element");
  form.addEventListener("submit", function (event) {
    if (document.getElementById("payment-method").value) {
      return;
    }
    event.preventDefault();
    button.disabled = true;
    stripe
      .createPaymentMethod({ type: "card", card: card })
      .then(function (result) {
        if (result.error) {
          errors.textContent = result.error.message;
          button.disabled = false;
          return;
        }
        document.getElementById("payment-method").value =
          result.paymentMethod.id;
        form.submit();
      });
  });
})();
