/** @odoo-module **/
/*
 * credit_tour_portal_application: a portal customer fills in the credit application and its company
 * data on /my/credit and sends it (tests/test_credit_tours.py).
 */
import { registry } from "@web/core/registry";
import { expected, screenshot } from "./credit_tour_utils";

registry.category("web_tour.tours").add("credit_tour_portal_application", {
    steps: () => [
        {
            content: "the requested limit",
            trigger: "#credit_application_form input[name=requested_limit]",
            run: "edit 80000",
        },
        {
            content: "why",
            trigger: "#credit_application_form input[name=request_note]",
            run: `edit ${expected("note")}`,
        },
        {
            content: "the legal representative",
            trigger: "#credit_application_form input[name=legal_representative]",
            run: `edit ${expected("legal_representative")}`,
        },
        {
            content: "the organization form",
            trigger: "#credit_application_form select[name=organization_form]",
            run: "select limited",
        },
        {
            content: "the registered capital",
            trigger: "#credit_application_form input[name=registered_capital]",
            run: "edit 2000000",
        },
        {
            content: "the employees",
            trigger: "#credit_application_form input[name=employee_count]",
            run: "edit 35",
        },
        ...screenshot("form"),
        {
            content: "send the application",
            trigger: "#credit_application_form button[type=submit]",
            run: "click",
        },
        {
            content: "the customer is thanked",
            trigger: "#credit_application_submitted",
        },
        {
            content: "the application is listed",
            trigger: ".o_portal_my_doc_table td:contains(\"80,000\")",
        },
        ...screenshot("submitted"),
    ],
});
