package org.trapline.web.auth;

/** No live session: the API answers 401, a page sends the browser to the login page. */
public final class LoginRequired extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LoginRequired() {
        super("login required", null, false, false);
    }
}
