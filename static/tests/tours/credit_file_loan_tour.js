/** @odoo-module **/
/*
 * credit_tour_file_loan: an archivist lends an approved loan's file with the lend wizard and
 * registers its return (tests/test_credit_tours.py).
 */
import { registry } from "@web/core/registry";
import { expected, screenshot } from "./credit_tour_utils";

registry.category("web_tour.tours").add("credit_tour_file_loan", {
    steps: () => [
        {
            content: "the loan is approved",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=approved]",
        },
        {
            content: "lend the file",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_lend_wizard]",
            run: "click",
        },
        {
            content: "the due date is proposed",
            trigger: ".modal .o_field_widget[name=date_due] input:value(/\\d/)",
        },
        {
            content: "note the condition of the file",
            trigger: ".modal .o_field_widget[name=condition_lent] textarea",
            run: `edit ${expected("condition")}`,
        },
        ...screenshot("lend_wizard"),
        {
            content: "lend",
            trigger: ".modal button[name=action_lend]",
            run: "click",
        },
        {
            content: "the file is out",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=lent]",
        },
        ...screenshot("lent"),
        {
            content: "register the return",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_return_wizard]",
            run: "click",
        },
        {
            content: "note the condition when returned",
            trigger: ".modal .o_field_widget[name=condition_returned] textarea",
            run: `edit ${expected("condition")}`,
        },
        ...screenshot("return_wizard"),
        {
            content: "take the file back",
            trigger: ".modal button[name=action_return]",
            run: "click",
        },
        {
            content: "the file is back",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=returned]",
        },
        ...screenshot("returned"),
    ],
});
