package org.trapline.attribution.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trapline.attribution.session.Events.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.attribution.session.AccountingStatus;
import org.trapline.attribution.session.Session;
import org.trapline.attribution.session.SessionStore;
import org.trapline.common.net.IpAddress;

class AttributionLookupTest {
    static final String IP = "100.64.1.23";

    @TempDir
    Path dir;
    SessionStore store;
    AttributionLookup lookup;

    @BeforeEach
    void open() {
        store = SessionStore.open(dir);
        Properties p = new Properties();
        p.setProperty(LookupSettings.SUBSCRIBER_NETWORKS, "100.64.0.0/10, 2001:db8::/32");
        p.setProperty(LookupSettings.CLOCK_SKEW, "2");
        p.setProperty(LookupSettings.INTERIM_INTERVAL, "300");
        p.setProperty(LookupSettings.GRACE_INTERVALS, "2");
        lookup = AttributionLookup.create(store, LookupSettings.from(p));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Attribution who(String ip, long at) throws Exception {
        return lookup.lookup(IpAddress.parse(ip), at(at));
    }

    @Test
    void addressHandedToBOneSecondAfterAsStop() throws Exception {
        store.apply(start("a", "alice", IP, 0));
        store.apply(stop("a", "alice", IP, 1000, 1000));
        store.apply(start("b", "bob", IP, 1001));
        store.apply(interim("b", "bob", IP, 1300, 299));

        assertThat(who(IP, 500).subscriber()).isEqualTo("alice");
        assertThat(who(IP, 997).status()).isEqualTo(AttributionStatus.MATCHED);
        assertThat(who(IP, 997).subscriber()).isEqualTo("alice");
        // Within the skew of both ends: either could have sent it, so no name is given.
        Attribution boundary = who(IP, 1000);
        assertThat(boundary.status()).isEqualTo(AttributionStatus.AMBIGUOUS);
        assertThat(boundary.subscriber()).isNull();
        assertThat(boundary.candidates()).extracting(Session::userName).containsExactlyInAnyOrder("alice", "bob");
        assertThat(who(IP, 1004).subscriber()).isEqualTo("bob");
        assertThat(who(IP, 1004).session().acctSessionId()).isEqualTo("b");
    }

    @Test
    void beforeAnySessionAndOutsideOurNetworks() throws Exception {
        store.apply(start("a", "alice", IP, 100));
        assertThat(who(IP, 50).status()).isEqualTo(AttributionStatus.NO_SESSION);
        assertThat(who("100.64.1.24", 150).status()).isEqualTo(AttributionStatus.NO_SESSION);
        assertThat(who("198.51.100.7", 150).status()).isEqualTo(AttributionStatus.NOT_OURS);
        assertThat(who("198.51.100.7", 150).subscriber()).isNull();
    }

    @Test
    void missingStopEndsAtLastUpdatePlusGrace() throws Exception {
        store.apply(start("a", "alice", IP, 0));
        store.apply(interim("a", "alice", IP, 300, 300));
        // Grace is 2 x 300 s after the last record at 300; skew 2 s.
        assertThat(who(IP, 899).subscriber()).isEqualTo("alice");
        assertThat(who(IP, 902).subscriber()).isEqualTo("alice");
        assertThat(who(IP, 903).status()).isEqualTo(AttributionStatus.NO_SESSION);
        assertThat(who(IP, 86_400).status()).isEqualTo(AttributionStatus.NO_SESSION);
    }

    @Test
    void nasRebootClosesSessionsThatHadNoStop() throws Exception {
        store.apply(start("a", "alice", IP, 0));
        store.apply(interim("a", "alice", IP, 300, 300));
        store.apply(nas(AccountingStatus.ACCOUNTING_ON, 400));
        store.apply(start("b", "bob", IP, 420));

        assertThat(who(IP, 350).subscriber()).isEqualTo("alice");
        assertThat(who(IP, 410).status()).isEqualTo(AttributionStatus.NO_SESSION);
        assertThat(who(IP, 430).subscriber()).isEqualTo("bob");
    }

    @Test
    void clockSkewToleratesAHitJustBeforeTheStart() throws Exception {
        store.apply(start("a", "alice", IP, 100));
        store.apply(stop("a", "alice", IP, 200, 100));
        assertThat(who(IP, 98).subscriber()).isEqualTo("alice");
        assertThat(who(IP, 97).status()).isEqualTo(AttributionStatus.NO_SESSION);
        assertThat(who(IP, 202).subscriber()).isEqualTo("alice");
        assertThat(who(IP, 203).status()).isEqualTo(AttributionStatus.NO_SESSION);
    }

    @Test
    void ipv6OriginMatchesDelegatedSlash56() throws Exception {
        store.apply(record(AccountingStatus.START, "v6a", "carol", null, 0)
                .framedIpv6Prefix("2001:db8:100:23::/64").delegatedIpv6Prefix("2001:db8:ff00:2300::/56").build());
        store.apply(record(AccountingStatus.START, "v6b", "dave", null, 0)
                .delegatedIpv6Prefix("2001:db8:ff00:2400::/56").build());

        assertThat(who("2001:db8:ff00:23ff:1234::1", 10).subscriber()).isEqualTo("carol");
        assertThat(who("2001:db8:ff00:2300::", 10).subscriber()).isEqualTo("carol");
        assertThat(who("2001:db8:100:23:a:b:c:d", 10).subscriber()).isEqualTo("carol");
        assertThat(who("2001:db8:ff00:2401::1", 10).subscriber()).isEqualTo("dave");
        assertThat(who("2001:db8:ff00:2500::1", 10).status()).isEqualTo(AttributionStatus.NO_SESSION);
    }

    @Test
    void ipv4MappedOriginFindsTheIpv4Session() throws Exception {
        store.apply(start("a", "alice", IP, 0));
        assertThat(lookup.lookup(IpAddress.parse("::ffff:" + IP), at(10)).subscriber())
                .isEqualTo("alice");
    }

    @Test
    void staticAssignmentWinsWithTheMostSpecificPrefix() throws Exception {
        Path file = dir.resolve("static.txt");
        Files.writeString(file, "# fixed customers\n203.0.113.0/24 acme\n203.0.113.8/29  acme-branch # second site\n2001:db8:5::/48 acme\n");
        AttributionLookup withStatic = new AttributionLookup(store, LookupSettings.defaults(), StaticAssignments.load(file));
        Attribution a = withStatic.lookup(IpAddress.parse("203.0.113.9"), at(0));
        assertThat(a.status()).isEqualTo(AttributionStatus.STATIC);
        assertThat(a.subscriber()).isEqualTo("acme-branch");
        assertThat(a.staticPrefix()).isEqualTo("203.0.113.8/29");
        assertThat(withStatic.lookup(IpAddress.parse("203.0.113.200"), at(0)).subscriber()).isEqualTo("acme");
        assertThat(withStatic.lookup(IpAddress.parse("2001:db8:5:1::1"), at(0)).subscriber()).isEqualTo("acme");
    }

    @Test
    void badStaticLineIsReportedWithFileAndLine() throws Exception {
        Path file = dir.resolve("static.txt");
        Files.writeString(file, "203.0.113.0/24 acme\n203.0.113.300/29 typo\n");
        assertThatThrownBy(() -> StaticAssignments.load(file)).hasMessageContaining("static.txt:2");
    }

    @Test
    void overlappingSessionsAreAmbiguousNeverGuessed() throws Exception {
        store.apply(start("a", "alice", IP, 0));
        store.apply(start("b", "bob", IP, 100)); // the NAS lost a Stop for alice
        Attribution a = who(IP, 150);
        assertThat(a.status()).isEqualTo(AttributionStatus.AMBIGUOUS);
        assertThat(a.candidates()).hasSize(2);
        assertThat(a.session()).isNull();
    }
}
