/** @odoo-module **/
/*
 * The credit check at order confirmation, as its users see it (tests/test_credit_tours.py):
 * - credit_tour_order_refused: a sales user confirms an over-limit quotation and is told why and
 *   what to do;
 * - credit_tour_order_release: a Credit Manager releases that quotation, which gets confirmed.
 */
import { registry } from "@web/core/registry";
import { assertTexts, expected, screenshot } from "./credit_tour_utils";

registry.category("web_tour.tours").add("credit_tour_order_refused", {
    steps: () => [
        {
            content: "the quotation is open, still a quotation",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=draft]",
        },
        ...screenshot("quotation"),
        {
            content: "confirm the quotation",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        assertTexts(".modal .modal-body", ["order", "customer", "refusal", "todo"],
            "the dialog names the order and the customer, gives the reason and what to do"),
        ...screenshot("refused"),
        {
            content: "close the dialog",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "the order is still a quotation",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=draft]",
        },
    ],
});

registry.category("web_tour.tours").add("credit_tour_order_release", {
    steps: () => [
        assertTexts(".o_form_view .alert-warning .o_field_widget[name=credit_check_message]", ["todo"],
            "the Credit Manager sees why the order is refused"),
        {
            content: "open the release wizard",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_credit_release]",
            run: "click",
        },
        assertTexts(".modal .o_field_widget[name=check_message]", ["refusal"],
            "the wizard repeats the refusal"),
        {
            content: "give the reason of the release",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: `edit ${expected("reason")}`,
        },
        {
            content: "the order is confirmed with the release",
            trigger: ".modal .o_field_widget[name=confirm_order] input:checked",
        },
        ...screenshot("release_wizard"),
        {
            content: "release",
            trigger: ".modal button[name=action_release]",
            run: "click",
        },
        {
            content: "the order is confirmed",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=sale]",
        },
        {
            content: "the release shows on the order",
            trigger: ".o_form_view button[name=action_view_credit_releases]",
        },
        ...screenshot("released"),
    ],
});
