package org.trapline.server.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.james.GuiceJamesServer;
import org.apache.james.server.core.configuration.Configuration;
import org.trapline.server.james.JamesConfDir;
import org.trapline.server.james.SmtpOnlyJames;

/**
 * Benchmark baseline: stock Apache James 3.8.1 with the same SMTP-only modules as Trapline, James's own
 * handler chain and a pipeline that only ghosts. Usage: {@code StockJames CONF_DIR WORK_DIR PORT}.
 */
public final class StockJames {
    private StockJames() {
    }

    public static void main(String[] args) throws Exception {
        Path conf = Path.of(args[0]);
        Path work = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(work);
        JamesConfDir.render(conf, work.resolve("conf"), Map.of("smtp.bind", "127.0.0.1:" + args[2]));
        GuiceJamesServer james = GuiceJamesServer.forConfiguration(Configuration.builder()
                        .workingDirectory(work.toFile())
                        .configurationPath(new Configuration.ConfigurationPath("file://" + work.resolve("conf") + "/"))
                        .build())
                .combineWith(SmtpOnlyJames.modules());
        james.start();
        Runtime.getRuntime().addShutdownHook(new Thread(james::stop));
        Thread.currentThread().join();
    }
}
