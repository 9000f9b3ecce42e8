/** @odoo-module **/
/*
 * Shared helpers of the customer_credit_archive tours.
 *
 * The Python side (tests/test_credit_tours.py) passes two cookies:
 * - cca_tour_expect: URI-encoded JSON of texts the tour must find on the screens, computed on the
 *   server in the user's language (so that the same tour runs in en_US and zh_CN);
 * - cca_screenshots: set only when the CCA_SCREENSHOTS environment variable is; then the tour asks
 *   the test for a screenshot of its key screens (console message "cca-screenshot:<name>"), and
 *   waits for the test to mark the body with "cca-shot-<name>" once the picture is taken.
 */

function readCookie(name) {
    const prefix = `${name}=`;
    const cookie = document.cookie.split("; ").find((item) => item.startsWith(prefix));
    return cookie ? decodeURIComponent(cookie.slice(prefix.length)) : "";
}

export function expected(key) {
    const raw = readCookie("cca_tour_expect");
    const values = raw ? JSON.parse(raw) : {};
    if (!(key in values)) {
        throw new Error(`The test did not pass the expected text "${key}"`);
    }
    return values[key];
}

function normalize(text) {
    return (text || "").replace(/\s+/g, " ").trim();
}

/** A check step: the element of ``selector`` holds each text of ``keys`` (see ``expected``). */
export function assertTexts(selector, keys, content) {
    return {
        content: content || `${selector} shows ${keys.join(", ")}`,
        trigger: selector,
        run() {
            const element = document.querySelector(selector);
            const text = normalize(element && element.textContent);
            for (const key of keys) {
                const wanted = normalize(expected(key));
                if (!text.includes(wanted)) {
                    throw new Error(`Expected "${wanted}" in ${selector}, found "${text}"`);
                }
            }
        },
    };
}

/** Steps that take a screenshot named ``name`` when the test asks for screenshots; none otherwise. */
export function screenshot(name) {
    if (!readCookie("cca_screenshots")) {
        return [];
    }
    return [
        {
            content: `screenshot ${name}`,
            trigger: "body",
            async run() {
                // let the dialogs and notifications finish their animation
                await new Promise((resolve) => setTimeout(resolve, 600));
                console.log(`cca-screenshot:${name}`);
            },
        },
        {
            content: `screenshot ${name} taken`,
            trigger: `body.cca-shot-${name}`,
        },
    ];
}
