package org.trapline.web;

import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web desk in-process over a {@link DeskFixture}, on a loopback port, fresh for each test: what the HTTP
 * tests of the desk's routes stand on.
 */
abstract class DeskOverHttp {
    @TempDir
    Path data;
    DeskFixture fixture;
    WebDesk web;
    Http http;

    @BeforeEach
    void start() {
        fixture = new DeskFixture(data, getClass().getSimpleName() + System.nanoTime());
        web = WebDesk.start(new DeskSettings("127.0.0.1", 0, false), () -> fixture.desk, () -> fixture.staff, Clock.systemUTC());
        http = new Http(web.address());
    }

    @AfterEach
    void stop() {
        web.close();
        fixture.close();
    }

    /** Logs in through the API as the staff member named after {@code role}; returns {cookie header, csrf}. */
    String[] login(String role) {
        return http.login(role, DeskFixture.PASSWORD);
    }
}
