package org.trapline.attribution.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A minimal FreeRADIUS 3 configuration: accounting on loopback, detail module, everything under one directory. */
final class FreeRadiusConfig {
    private FreeRadiusConfig() {
    }

    static Path write(Path dir, int port) throws IOException {
        Path raddb = Files.createDirectories(dir.resolve("raddb"));
        for (String d : new String[] {"log", "run", "radacct"}) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.writeString(raddb.resolve("radiusd.conf"), String.join("\n",
                "prefix = /usr", "localstatedir = /var", "sbindir = /usr/sbin",
                "logdir = " + dir.toAbsolutePath() + "/log", "raddbdir = " + raddb.toAbsolutePath(),
                "radacctdir = " + dir.toAbsolutePath() + "/radacct", "name = freeradius", "confdir = ${raddbdir}",
                "modconfdir = ${confdir}/mods-config", "run_dir = " + dir.toAbsolutePath() + "/run", "db_dir = ${raddbdir}",
                "libdir = /usr/lib/freeradius", "pidfile = ${run_dir}/${name}.pid", "max_request_time = 30", "cleanup_delay = 5",
                "max_requests = 1048576", "hostname_lookups = no",
                "log {", "  destination = files", "  file = ${logdir}/radius.log", "}",
                "security {", "  allow_core_dumps = no", "}",
                "modules {", "  detail {",
                "    filename = ${radacctdir}/%{%{Packet-Src-IP-Address}:-%{Packet-Src-IPv6-Address}}/detail-%Y%m%d",
                "    escape_filenames = no", "    permissions = 0600", "    header = \"%t\"", "  }", "}",
                "client localhost {", "  ipaddr = 127.0.0.1", "  secret = bench-secret", "}",
                "server default {", "  listen {", "    type = acct", "    ipaddr = 127.0.0.1", "    port = " + port, "  }",
                "  preacct {", "  }", "  accounting {", "    detail", "  }", "}", ""));
        return raddb;
    }
}
