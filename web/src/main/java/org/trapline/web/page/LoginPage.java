package org.trapline.web.page;

/** The login form: its own CSRF token (doubled in a cookie) and the last attempt's error, or null. */
public record LoginPage(String csrf, String error) {
}
