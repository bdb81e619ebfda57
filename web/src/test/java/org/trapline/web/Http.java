package org.trapline.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A plain HTTP client for the desk under test: no redirects followed, cookies only as the test sets them. */
final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;

    Http(String address) {
        this.base = "http://" + address;
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
    }

    HttpResponse<byte[]> post(String path, String contentType, String body, String... headers) {
        List<String> all = new ArrayList<>(List.of(headers));
        all.add("Content-Type");
        all.add(contentType);
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body)),
                all.toArray(String[]::new));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder b, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Logs in through the API; returns {cookie header value, csrf token}. */
    String[] login(String name, String password) {
        HttpResponse<byte[]> r = post("/api/v1/login", "application/json",
                "{\"name\": \"" + name + "\", \"password\": \"" + password + "\"}");
        if (r.statusCode() != 200) {
            throw new AssertionError("login of " + name + ": " + r.statusCode() + " " + text(r));
        }
        return new String[] {org.trapline.web.auth.Gate.SESSION_COOKIE + "=" + cookie(r, org.trapline.web.auth.Gate.SESSION_COOKIE),
                json(r).get("csrf").asText()};
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    static JsonNode json(HttpResponse<byte[]> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of cookie {@code name} among the response's Set-Cookie headers, or null. */
    static String cookie(HttpResponse<byte[]> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'))).findFirst().orElse(null);
    }

    static String setCookie(HttpResponse<byte[]> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst().orElse(null);
    }
}
