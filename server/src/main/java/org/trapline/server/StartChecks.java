package org.trapline.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

import org.trapline.attribution.accounting.AccountingServerSettings;
import org.trapline.enforcement.coa.CoaSettings;
import org.trapline.attribution.detail.DetailImportSettings;
import org.trapline.attribution.detail.DetailWatchSettings;
import org.trapline.attribution.journal.JournalSettings;
import org.trapline.attribution.lookup.LookupSettings;
import org.trapline.attribution.lookup.StaticAssignments;
import org.trapline.common.sql.StoreSettings;
import org.trapline.evidence.EvidenceSettings;
import org.trapline.enforcement.Exemptions;
import org.trapline.enforcement.PolicySettings;
import org.trapline.mailets.pipeline.BackgroundPriority;
import org.trapline.server.james.JamesConfDir;

/**
 * Everything {@code run} checks in its settings before it opens anything, in one place, so that
 * {@code bin/trapline check} says yes exactly when the settings would let {@code run} start. Each
 * failure is a {@link ConfigurationException} naming the key and the value.
 */
public final class StartChecks {
    private StartChecks() {
    }

    /** Checks the settings of every stage; returns what was checked, for a person to read. */
    public static List<String> check(Instance instance, ServerSettings server, Properties p) {
        List<String> passed = new ArrayList<>();
        passed.add("trap MX: " + server.trapDomains().domains().size() + " trap domain(s), SMTP on " + server.smtpBind());
        AccountingServerSettings radius = setting(() -> AccountingServerSettings.from(p));
        passed.add("RADIUS accounting on " + radius.bind().getAddress().getHostAddress() + ":" + radius.bind().getPort() + ", "
                + radius.clients().size() + " NAS client entr" + (radius.clients().size() == 1 ? "y" : "ies"));
        setting(() -> JournalSettings.from(p));
        LookupSettings lookup = setting(() -> LookupSettings.from(p));
        if (lookup.staticAssignments() != null) {
            int n = setting(() -> {
                try {
                    return StaticAssignments.load(lookup.staticAssignments()).size();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            passed.add("static assignments: " + n + " prefix(es) from " + lookup.staticAssignments());
        }
        DetailWatchSettings watch = setting(() -> DetailWatchSettings.from(p));
        if (watch.enabled() && !Files.isDirectory(watch.directory())) {
            throw new ConfigurationException(DetailWatchSettings.WATCH_DIR + ": " + watch.directory() + " is not a directory");
        }
        setting(() -> DetailImportSettings.from(p));
        setting(() -> EvidenceSettings.from(p));
        setting(() -> PolicySettings.from(p));
        Path exempt = setting(() -> org.trapline.common.Settings.path(p, Exemptions.FILE_KEY));
        if (exempt != null) {
            passed.add("exemptions from automatic action: " + setting(() -> Exemptions.load(exempt)).size() + " entr(ies) in " + exempt);
        }
        setting(() -> CoaSettings.from(p));
        passed.add("attribution, evidence, strike policy and CoA settings");
        StoreSettings stores = setting(() -> StoreSettings.from(p));
        passed.add(stores.embedded() ? "stores: H2 files under the data directory"
                : "stores: " + StoreSettings.URL + " " + stores.url() + " as " + stores.user() + ", each store in a schema of its own");
        passed.add(setting(() -> org.trapline.web.DeskSettings.from(p)).map(d -> "web desk on " + d.host() + ":" + d.port())
                .orElse("web desk off (desk.bind=off)"));
        try {
            BackgroundPriority.Priority.parse(p.getProperty("pipeline.priority", "idle"));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("pipeline.priority must be " + e.getMessage());
        }
        try {
            Path rendered = Files.createTempDirectory("trapline-check");
            try {
                JamesConfDir.render(instance.confDir(), rendered, server.jamesPlaceholders());
            } finally {
                try (var files = Files.walk(rendered)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new ConfigurationException("cannot render James's XML files: " + e.getMessage());
        }
        passed.add("James's XML files in " + instance.confDir());
        return passed;
    }

    static <T> T setting(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }
}
