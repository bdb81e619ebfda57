package org.trapline.server.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

import org.trapline.server.control.ControlClient;
import org.trapline.web.DeskSettings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * {@code bin/trapline desk} beside a running server: an HTTP listener of its own whose every request goes
 * through the server's control socket (the live-data path every command beside a server takes) to the
 * server's web desk, and whose answer comes back the same way. The server's desk does everything else
 * (login, CSRF, roles, headers), so this process opens no store and holds no session.
 */
public final class DeskRelay implements AutoCloseable {
    /** A request body larger than this is refused here, as the desk itself would. */
    static final int MAX_BODY = 64 * 1024;
    private static final int THREADS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer http;
    private final ExecutorService threads;
    private final Path dataDir;
    private final List<String> argv;

    private DeskRelay(HttpServer http, ExecutorService threads, Path confDir, Path dataDir) {
        this.http = http;
        this.threads = threads;
        this.dataDir = dataDir;
        this.argv = List.of("--conf", confDir.toAbsolutePath().toString(), "--data", dataDir.toAbsolutePath().toString(),
                DeskRequestCommand.NAME);
    }

    /** Listens on {@code settings}' address and relays to the server that holds {@code dataDir}. */
    public static DeskRelay start(DeskSettings settings, Path confDir, Path dataDir) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 50);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "trapline-desk-relay");
            t.setDaemon(true);
            return t;
        });
        DeskRelay relay = new DeskRelay(http, threads, confDir, dataDir);
        http.createContext("/", relay::relay);
        http.setExecutor(threads);
        http.start();
        return relay;
    }

    public String address() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private void relay(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                exchange.sendResponseHeaders(413, -1);
                return;
            }
            ObjectNode request = JSON.createObjectNode();
            request.put("method", exchange.getRequestMethod());
            request.put("path", exchange.getRequestURI().getRawPath());
            request.put("query", exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery());
            ObjectNode headers = request.putObject("headers");
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (DeskRequestCommand.FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT)) && !values.isEmpty()) {
                    headers.put(name, String.join("; ", values));
                }
            });
            request.put("body", Base64.getEncoder().encodeToString(body));
            request.put("client", org.trapline.common.net.IpAddress.of(exchange.getRemoteAddress().getAddress()).toString());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code;
            try {
                code = ControlClient.run(ControlClient.connect(dataDir), argv, Path.of("/"),
                        new ByteArrayInputStream(JSON.writeValueAsBytes(request)), out, err);
            } catch (IOException noServer) {
                code = -1;
                err.writeBytes(("no server answers on " + dataDir.resolve("control.sock")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            if (code != 0) {
                byte[] text = ("the Trapline server did not answer: " + err.toString(java.nio.charset.StandardCharsets.UTF_8).strip() + "\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
                exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
                exchange.sendResponseHeaders(502, text.length);
                exchange.getResponseBody().write(text);
                return;
            }
            JsonNode answer = JSON.readTree(out.toByteArray());
            for (JsonNode h : answer.path("headers")) {
                exchange.getResponseHeaders().add(h.get(0).asText(), h.get(1).asText());
            }
            byte[] bytes = Base64.getDecoder().decode(answer.path("body").asText(""));
            exchange.sendResponseHeaders(answer.path("status").asInt(502), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }
}
