package org.trapline.web.page;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.trapline.desk.view.ReceivedChain;
import org.trapline.desk.view.ReceivedChain.Hop;

/**
 * A hit's Received chain as the hit page draws it: every Received header of the message, newest (our side)
 * first, each with its time and its from and by hosts; the relays the trace read are marked trusted, origin
 * or claimed by the sender, the headers it did not read as relays (no IP, a local pickup) are shown as they
 * are, the trust boundary sits above the origin hop, and the gap to the hop below is given in seconds.
 */
public record Timeline(List<Row> rows) {
    /** What a header is in the trace. */
    public enum Kind {
        TRUSTED("trusted relay"), BOUNDARY("trust boundary"), ORIGIN("origin hop"), UNTRUSTED("claimed by the sender"),
        NOT_A_RELAY("not read as a relay");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        public String css() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One row: a header (or the boundary, with only its kind).
     *
     * @param time       the header's time as written, or null
     * @param gapSeconds seconds since the row below (older) took the message; null when either time is unknown;
     *                   negative when the clocks or the sender's claims disagree
     */
    public record Row(Kind kind, String from, String ip, String by, String time, Long gapSeconds, String header) {
        public boolean boundary() {
            return kind == Kind.BOUNDARY;
        }
    }

    /** Received headers beyond this many are left out of the drawing (the headers table still lists them). */
    static final int MAX_ROWS = 100;
    private static final Pattern FROM = Pattern.compile("(?i)(?:^|\\s)from\\s+([^\\s;()]+)");
    private static final Pattern BY = Pattern.compile("(?i)(?:^|\\s)by\\s+([^\\s;()]+)");

    public Timeline {
        rows = List.copyOf(rows);
    }

    /**
     * @param chain    the trace stored with the hit, or null
     * @param headers  the message's header lines (empty once the raw message is gone: the trace's relays alone are drawn)
     */
    public static Timeline of(ReceivedChain chain, List<MessageParts.HeaderLine> headers) {
        List<Hop> relays = new ArrayList<>();
        List<Kind> kinds = new ArrayList<>();
        if (chain != null) {
            for (Hop h : chain.trusted()) {
                relays.add(h);
                kinds.add(Kind.TRUSTED);
            }
            boolean originListed = false;
            for (Hop h : chain.untrusted()) {
                boolean origin = !originListed && sameHop(h, chain.origin());
                originListed |= origin;
                relays.add(h);
                kinds.add(origin ? Kind.ORIGIN : Kind.UNTRUSTED);
            }
            if (chain.origin() != null && !originListed) {
                relays.add(chain.trusted().size(), chain.origin());
                kinds.add(chain.trusted().size(), Kind.ORIGIN);
            }
        }
        List<Row> rows = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        int next = 0;
        for (MessageParts.HeaderLine line : headers) {
            if (!line.name().equalsIgnoreCase("Received") || rows.size() >= MAX_ROWS) {
                continue;
            }
            String value = line.value();
            if (next < relays.size() && describes(relays.get(next), value)) {
                rows.add(row(kinds.get(next), relays.get(next), value));
                times.add(instant(relays.get(next).time()));
                next++;
            } else {
                String date = headerDate(value);
                rows.add(new Row(Kind.NOT_A_RELAY, group(FROM, value), null, group(BY, value), date, null, value));
                times.add(rfc5322(date));
            }
        }
        for (; next < relays.size() && rows.size() < MAX_ROWS; next++) {
            rows.add(row(kinds.get(next), relays.get(next), null));
            times.add(instant(relays.get(next).time()));
        }
        return new Timeline(withGapsAndBoundary(rows, times, chain != null));
    }

    private static Row row(Kind kind, Hop h, String header) {
        return new Row(kind, h.helo() != null ? h.helo() : h.rdns(), h.ip(), h.by(), h.time(), null, header);
    }

    /** Gaps to the next older timed row, and the boundary above the first relay that is not ours. */
    private static List<Row> withGapsAndBoundary(List<Row> rows, List<Instant> times, boolean traced) {
        List<Row> out = new ArrayList<>();
        boolean boundaryPlaced = !traced;
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (!boundaryPlaced && (r.kind() == Kind.ORIGIN || r.kind() == Kind.UNTRUSTED)) {
                out.add(new Row(Kind.BOUNDARY, null, null, null, null, null, null));
                boundaryPlaced = true;
            }
            Long gap = null;
            if (times.get(i) != null && i + 1 < rows.size() && times.get(i + 1) != null) {
                gap = Duration.between(times.get(i + 1), times.get(i)).getSeconds();
            }
            out.add(new Row(r.kind(), r.from(), r.ip(), r.by(), r.time(), gap, r.header()));
        }
        if (!boundaryPlaced) {
            out.add(new Row(Kind.BOUNDARY, null, null, null, null, null, null));
        }
        return out;
    }

    /** The trace writes the origin hop with fewer fields than the relay it is: the same when what both carry agrees. */
    private static boolean sameHop(Hop relay, Hop origin) {
        return origin != null && java.util.Objects.equals(relay.ip(), origin.ip()) && java.util.Objects.equals(relay.by(), origin.by())
                && java.util.Objects.equals(relay.helo(), origin.helo()) && java.util.Objects.equals(relay.time(), origin.time());
    }

    /** Whether a Received header is the one the trace read as this relay: what it names appears in it. */
    private static boolean describes(Hop h, String header) {
        String text = header.toLowerCase(Locale.ROOT);
        boolean named = false;
        for (String part : new String[] {h.ip(), h.by(), h.id()}) {
            if (part != null && !part.isBlank()) {
                if (!text.contains(part.toLowerCase(Locale.ROOT))) {
                    return false;
                }
                named = true;
            }
        }
        return named;
    }

    private static String group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** The date after a Received header's last semicolon, or null. */
    static String headerDate(String value) {
        int semi = value.lastIndexOf(';');
        String d = semi < 0 ? "" : value.substring(semi + 1).strip();
        return d.isEmpty() ? null : d;
    }

    private static Instant instant(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** An RFC 5322 date as mail servers write them (a trailing zone comment allowed), or null. */
    static Instant rfc5322(String date) {
        if (date == null) {
            return null;
        }
        String d = date.replaceAll("\\s*\\([^)]*\\)\\s*$", "").replaceAll("\\s+", " ").strip();
        try {
            return ZonedDateTime.parse(d, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
