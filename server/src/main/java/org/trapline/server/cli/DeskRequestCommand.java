package org.trapline.server.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.trapline.server.DataAccess;
import org.trapline.web.WebDesk;
import org.trapline.web.auth.ClientAddress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;

/**
 * The server's half of a desk beside it ({@link DeskRelay}): one browser request, read as JSON from standard
 * input, answered by this server's own web desk on loopback, its answer written as JSON. The request came
 * through the control socket, so only the Trapline user could send it; the desk then checks the login, CSRF
 * and role as for any other request.
 */
@Command(name = DeskRequestCommand.NAME, hidden = true, description = "One web desk request relayed by bin/trapline desk.")
public final class DeskRequestCommand implements Callable<Integer> {
    public static final String NAME = "desk-request";
    /** Request headers the desk reads; nothing else is passed on. */
    static final Set<String> FORWARDED = Set.of("cookie", "content-type", "x-csrf-token", "accept");
    /** Answer headers the relay must not copy: its own HTTP server sets them. */
    static final Set<String> HOP_BY_HOP = Set.of("content-length", "transfer-encoding", "connection", "date", "keep-alive");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Supplier<DataAccess> data;
    private final Supplier<java.io.InputStream> stdin;
    private final Supplier<OutputStream> stdout;

    public DeskRequestCommand(Supplier<DataAccess> data, Supplier<java.io.InputStream> stdin, Supplier<OutputStream> stdout) {
        this.data = data;
        this.stdin = stdin;
        this.stdout = stdout;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Optional<WebDesk> web = data.get().webDesk();
        if (web.isEmpty()) {
            throw new org.trapline.server.ConfigurationException("this server runs no web desk (desk.bind=off)");
        }
        Optional<String> desk = web.map(WebDesk::address);
        JsonNode request = JSON.readTree(stdin.get());
        String path = request.path("path").asText("/");
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        String query = request.path("query").asText("");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + desk.get() + path + (query.isEmpty() ? "" : "?" + query)))
                .timeout(Duration.ofSeconds(60))
                .method(request.path("method").asText("GET"), HttpRequest.BodyPublishers.ofByteArray(
                        Base64.getDecoder().decode(request.path("body").asText(""))));
        request.path("headers").fields().forEachRemaining(h -> {
            if (FORWARDED.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                b.header(h.getKey(), h.getValue().asText());
            }
        });
        // The relay is a trusted hop (only the Trapline user reaches the control socket): the browser's address it saw
        // goes on to the desk with the desk's relay key, so logins are throttled per browser, not all as loopback.
        String client = request.path("client").asText("");
        if (!client.isEmpty()) {
            b.header(ClientAddress.RELAY_KEY, web.get().relayKey());
            b.header(ClientAddress.RELAYED_FOR, client);
        }
        HttpResponse<byte[]> answer = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        ObjectNode out = JSON.createObjectNode();
        out.put("status", answer.statusCode());
        var headers = out.putArray("headers");
        answer.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(v -> headers.addArray().add(name).add(v));
            }
        });
        out.put("body", Base64.getEncoder().encodeToString(answer.body()));
        OutputStream o = stdout.get();
        o.write(JSON.writeValueAsBytes(out));
        o.flush();
        return 0;
    }
}
