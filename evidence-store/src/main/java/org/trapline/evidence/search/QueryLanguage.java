package org.trapline.evidence.search;

import static org.trapline.evidence.index.IndexFields.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.automaton.ByteRunAutomaton;
import org.trapline.evidence.index.EvidenceAnalyzer;
import org.trapline.evidence.index.HitDocuments;

/**
 * The desk's query language, in the style of Gmail and Mailpit: free words and "quoted phrases"
 * search subject, body and attachment names; {@code field:value} narrows (from: to: subject: url:
 * domain: ip: net: subscriber: trap: trapdomain: session: status: day: before: after: has: msgid: sha: helo:);
 * AND, OR, NOT (or a leading {@code -}) and parentheses combine, juxtaposition means AND, and NOT
 * binds tighter than AND, AND tighter than OR. A word ending in {@code *} is a prefix.
 * Dates are UTC: {@code after:2026-11-20} includes that day, {@code before:2026-11-21} excludes it,
 * {@code day:2026-11-20} is that day alone. {@code ip:} looks at the origin and the connecting client,
 * {@code net:} at the origin only (each facet value of the search page is one of these filters).
 *
 * <p>A word that looks like {@code name:value} with a name that is no field is an error naming the
 * nearest field (a mistyped field would otherwise quietly match nothing); URLs ({@code http://...}),
 * a few schemes without {@code //} ({@code mailto:}) and IPv6 addresses are words, and anything else
 * with a colon can be searched for in quotes. Queries are written by whoever asks, so their cost is
 * bounded before anything is built: at most {@value #MAX_DEPTH} nested parentheses and
 * {@value #MAX_TERMS} terms (an {@code ip:} counts twice, as it looks at the origin and at the
 * connecting client).
 */
public final class QueryLanguage {
    /** Every field prefix the language knows, for help texts. */
    public static final List<String> PREFIXES = List.of("from", "to", "reply-to", "subject", "url", "domain", "ip",
            "subscriber", "trap", "session", "status", "before", "after", "has", "msgid", "sha", "helo", "attachment", "net",
            "trapdomain", "day");
    /** Deepest nesting of parentheses; the parser recurses once per level, so this bounds its stack. */
    public static final int MAX_DEPTH = 100;
    /** Most terms (Lucene leaf queries) in one query; Lucene's own limit is 1024 clauses in all. */
    public static final int MAX_TERMS = 1024;
    /** URI schemes seen in spam whose URIs have no {@code //}, so they are not taken for a field. */
    private static final List<String> SCHEMES = List.of("mailto", "tel", "sms", "urn", "data", "cid", "javascript");

    private final Analyzer analyzer = new EvidenceAnalyzer();

    /** The Lucene query for a desk query; an empty query matches every hit. */
    public Query parse(String input) {
        Parser p = new Parser(tokenize(input == null ? "" : input));
        if (p.atEnd()) {
            return new MatchAllDocsQuery();
        }
        Query q = p.or();
        if (!p.atEnd()) {
            throw new QuerySyntaxException("unexpected '" + p.peek().text + "': check parentheses");
        }
        return q;
    }

    private enum Kind { WORD, PHRASE, FIELD_WORD, FIELD_PHRASE, LPAREN, RPAREN, AND, OR, NOT }

    private record Token(Kind kind, String field, String text) {
    }

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(') {
                out.add(new Token(Kind.LPAREN, null, "("));
                i++;
            } else if (c == ')') {
                out.add(new Token(Kind.RPAREN, null, ")"));
                i++;
            } else if (c == '"') {
                int end = s.indexOf('"', i + 1);
                if (end < 0) {
                    throw new QuerySyntaxException("unclosed quote: add a closing \"");
                }
                out.add(new Token(Kind.PHRASE, null, s.substring(i + 1, end)));
                i = end + 1;
            } else if (c == '-' && i + 1 < n && !Character.isWhitespace(s.charAt(i + 1)) && (out.isEmpty() || i == 0
                    || Character.isWhitespace(s.charAt(i - 1)) || s.charAt(i - 1) == '(')) {
                out.add(new Token(Kind.NOT, null, "-"));
                i++;
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '(' && s.charAt(i) != ')'
                        && s.charAt(i) != '"') {
                    i++;
                }
                String word = s.substring(start, i);
                int colon = word.indexOf(':');
                String field = colon > 0 ? word.substring(0, colon).toLowerCase(Locale.ROOT) : null;
                if (field != null && !PREFIXES.contains(field) && meantAsField(field, word, colon)) {
                    throw new QuerySyntaxException(unknownField(field, word, i < n && s.charAt(i) == '"'));
                }
                if (field != null && PREFIXES.contains(field)) {
                    String value = word.substring(colon + 1);
                    if (value.isEmpty() && i < n && s.charAt(i) == '"') {
                        int end = s.indexOf('"', i + 1);
                        if (end < 0) {
                            throw new QuerySyntaxException("unclosed quote after " + field + ": add a closing \"");
                        }
                        out.add(new Token(Kind.FIELD_PHRASE, field, s.substring(i + 1, end)));
                        i = end + 1;
                    } else if (value.isEmpty()) {
                        throw new QuerySyntaxException(field + ": needs a value, e.g. " + field + ":" + example(field));
                    } else {
                        out.add(new Token(Kind.FIELD_WORD, field, value));
                    }
                } else if (word.equals("AND") || word.equals("&&")) {
                    out.add(new Token(Kind.AND, null, word));
                } else if (word.equals("OR") || word.equals("||")) {
                    out.add(new Token(Kind.OR, null, word));
                } else if (word.equals("NOT")) {
                    out.add(new Token(Kind.NOT, null, word));
                } else {
                    out.add(new Token(Kind.WORD, null, word));
                }
            }
        }
        return out;
    }

    /**
     * Whether {@code name:...} reads as an attempt at a field: a name of letters and hyphens (as every
     * field is) that does not start a URL, a URI of one of the {@link #SCHEMES} or an IPv6 address.
     */
    private static boolean meantAsField(String name, String word, int colon) {
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (!(Character.isLetter(c) || c == '-' && k > 0)) {
                return false;
            }
        }
        if (word.startsWith("//", colon + 1) || SCHEMES.contains(name)) {
            return false;
        }
        return HitDocuments.parseIp(word).isEmpty();
    }

    private static String unknownField(String name, String word, boolean quotedValue) {
        String nearest = PREFIXES.get(0);
        int best = Integer.MAX_VALUE;
        for (String known : PREFIXES) {
            int d = editDistance(name, known, best);
            if (d < best) {
                best = d;
                nearest = known;
            }
        }
        String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
        String asText = quotedValue || word.length() > 60 ? "quote the whole word" : "quote it: \"" + word + "\"";
        return "unknown field \"" + shown + "\"; did you mean \"" + nearest + "\"? (to search for the text itself, " + asText + ")";
    }

    /**
     * Optimal string alignment distance (insertions, deletions, substitutions, swaps of neighbours), or
     * {@code give up} as soon as every alignment costs at least that much: a name may be long.
     */
    static int editDistance(String a, String b, int giveUp) {
        if (Math.abs(a.length() - b.length()) >= giveUp) {
            return giveUp;
        }
        int[] beforeLast = new int[b.length() + 1];
        int[] last = new int[b.length() + 1];
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            last[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            row[0] = i;
            int rowMin = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int d = Math.min(Math.min(row[j - 1] + 1, last[j] + 1), last[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d = Math.min(d, beforeLast[j - 2] + 1);
                }
                row[j] = d;
                rowMin = Math.min(rowMin, d);
            }
            if (rowMin >= giveUp) {
                return giveUp;
            }
            int[] t = beforeLast;
            beforeLast = last;
            last = row;
            row = t;
        }
        return Math.min(last[b.length()], giveUp);
    }

    private static String example(String field) {
        return switch (field) {
            case "ip", "net" -> "198.51.100.0/24";
            case "before", "after", "day" -> "2026-11-20";
            case "trapdomain" -> "trap.example.net";
            case "has" -> "attachment";
            case "domain" -> "example.com";
            default -> "value";
        };
    }

    private final class Parser {
        private final List<Token> tokens;
        private int pos;
        private int depth;
        private int terms;

        Parser(List<Token> tokens) {
            this.tokens = tokens;
        }

        boolean atEnd() {
            return pos >= tokens.size();
        }

        Token peek() {
            return tokens.get(pos);
        }

        Query or() {
            List<Query> alternatives = new ArrayList<>();
            alternatives.add(and());
            while (!atEnd() && peek().kind == Kind.OR) {
                pos++;
                if (atEnd()) {
                    throw new QuerySyntaxException("OR at the end: add what should follow it");
                }
                alternatives.add(and());
            }
            if (alternatives.size() == 1) {
                return alternatives.get(0);
            }
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            for (Query q : alternatives) {
                b.add(q, Occur.SHOULD);
            }
            return b.build();
        }

        Query and() {
            List<Query> must = new ArrayList<>();
            List<Query> mustNot = new ArrayList<>();
            while (!atEnd()) {
                Token t = peek();
                if (t.kind == Kind.OR || t.kind == Kind.RPAREN) {
                    break;
                }
                if (t.kind == Kind.AND) {
                    pos++;
                    if (must.isEmpty() && mustNot.isEmpty() || atEnd() || peek().kind == Kind.OR || peek().kind == Kind.RPAREN) {
                        throw new QuerySyntaxException("AND needs something on both sides");
                    }
                    continue;
                }
                boolean negated = false;
                while (!atEnd() && peek().kind == Kind.NOT) {
                    negated = !negated;
                    pos++;
                }
                if (atEnd()) {
                    throw new QuerySyntaxException("NOT at the end: add what to exclude");
                }
                Query q = primary();
                (negated ? mustNot : must).add(q);
            }
            if (must.isEmpty() && mustNot.isEmpty()) {
                throw new QuerySyntaxException("empty expression: check parentheses and operators");
            }
            if (must.size() == 1 && mustNot.isEmpty()) {
                return must.get(0);
            }
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            if (must.isEmpty()) {
                // A query of only exclusions means "everything except".
                b.add(counted(new MatchAllDocsQuery()), Occur.MUST);
            }
            must.forEach(q -> b.add(q, Occur.MUST));
            mustNot.forEach(q -> b.add(q, Occur.MUST_NOT));
            return b.build();
        }

        Query primary() {
            Token t = tokens.get(pos++);
            switch (t.kind) {
                case LPAREN -> {
                    if (++depth > MAX_DEPTH) {
                        throw new QuerySyntaxException("query nests deeper than " + MAX_DEPTH + " parentheses");
                    }
                    if (!atEnd() && peek().kind == Kind.RPAREN) {
                        throw new QuerySyntaxException("empty parentheses");
                    }
                    Query q = or();
                    if (atEnd() || peek().kind != Kind.RPAREN) {
                        throw new QuerySyntaxException("missing ')'");
                    }
                    pos++;
                    depth--;
                    return q;
                }
                case WORD -> {
                    return counted(word(TEXT, t.text));
                }
                case PHRASE -> {
                    return counted(phrase(TEXT, t.text));
                }
                case FIELD_WORD, FIELD_PHRASE -> {
                    return counted(field(t.field, t.text, t.kind == Kind.FIELD_PHRASE));
                }
                default -> throw new QuerySyntaxException("unexpected '" + t.text + "'");
            }
        }

        /** Counts the leaf queries of {@code q} as Lucene will, failing once there are too many. */
        Query counted(Query q) {
            q.visit(new QueryVisitor() {
                @Override
                public void visitLeaf(Query leaf) {
                    count();
                }

                @Override
                public void consumeTerms(Query leaf, Term... t) {
                    count();
                }

                @Override
                public void consumeTermsMatching(Query leaf, String field, Supplier<ByteRunAutomaton> automaton) {
                    count();
                }

                @Override
                public QueryVisitor getSubVisitor(Occur occur, Query parent) {
                    return this;
                }
            });
            return q;
        }

        private void count() {
            if (++terms > MAX_TERMS) {
                throw new QuerySyntaxException("query has more than " + MAX_TERMS + " terms: narrow it, or split it into several searches");
            }
        }
    }

    private Query field(String field, String value, boolean quoted) {
        return switch (field) {
            case "from" -> text(FROM, value, quoted);
            case "to" -> text(TO, value, quoted);
            case "reply-to" -> text(REPLY_TO, value, quoted);
            case "subject" -> text(SUBJECT, value, quoted);
            case "url" -> text(URL, value, quoted);
            case "helo" -> text(HELO, value, quoted);
            case "attachment" -> text(ATTACHMENT, value, quoted);
            case "domain" -> new TermQuery(new Term(DOMAIN, normaliseDomain(value)));
            case "subscriber" -> new TermQuery(new Term(SUBSCRIBER, value.toLowerCase(Locale.ROOT)));
            case "session" -> new TermQuery(new Term(SESSION, value));
            case "status" -> new TermQuery(new Term(STATUS, value.toLowerCase(Locale.ROOT)));
            case "msgid" -> new TermQuery(new Term(MESSAGE_ID, value.startsWith("<") ? value : "<" + value + ">"));
            case "sha" -> new TermQuery(new Term(SHA256, value.toLowerCase(Locale.ROOT)));
            case "trap" -> {
                String v = value.toLowerCase(Locale.ROOT);
                yield v.contains("@") ? new TermQuery(new Term(TRAP, v)) : new TermQuery(new Term(TRAP_DOMAIN, v));
            }
            case "has" -> {
                String v = value.toLowerCase(Locale.ROOT);
                if (!List.of("attachment", "url", "subscriber", "raw").contains(v)) {
                    throw new QuerySyntaxException("has: takes attachment, url, subscriber or raw, not '" + value + "'");
                }
                yield new TermQuery(new Term(HAS, v));
            }
            case "ip" -> ip(value);
            case "net" -> originNet(value);
            case "trapdomain" -> new TermQuery(new Term(TRAP_DOMAIN, normaliseDomain(value)));
            case "day" -> {
                long start = day(value).toEpochMilli();
                yield LongPoint.newRangeQuery(TIME, start, start + java.time.Duration.ofDays(1).toMillis() - 1);
            }
            case "after" -> LongPoint.newRangeQuery(TIME, instant(field, value).toEpochMilli(), Long.MAX_VALUE);
            case "before" -> LongPoint.newRangeQuery(TIME, Long.MIN_VALUE, instant(field, value).toEpochMilli() - 1);
            default -> throw new QuerySyntaxException("unknown field " + field + ":");
        };
    }

    private static String normaliseDomain(String value) {
        String d = value.toLowerCase(Locale.ROOT);
        if (d.startsWith("*.")) {
            d = d.substring(2);
        }
        while (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        return d;
    }

    private static Query ip(String value) {
        int slash = value.indexOf('/');
        String addr = slash < 0 ? value : value.substring(0, slash);
        InetAddress ip = HitDocuments.parseIp(addr).orElseThrow(() ->
                new QuerySyntaxException("ip: needs an address or CIDR like 198.51.100.0/24, not '" + value + "'"));
        Query origin;
        Query client;
        if (slash < 0) {
            origin = InetAddressPoint.newExactQuery(ORIGIN_IP, ip);
            client = InetAddressPoint.newExactQuery(CLIENT_IP, ip);
        } else {
            int bits = prefixLength("ip", value, slash, ip);
            origin = InetAddressPoint.newPrefixQuery(ORIGIN_IP, ip, bits);
            client = InetAddressPoint.newPrefixQuery(CLIENT_IP, ip, bits);
        }
        // The origin hop is what the desk means; the connecting client is the same host when spam came direct.
        return new BooleanQuery.Builder().add(origin, Occur.SHOULD).add(client, Occur.SHOULD).build();
    }

    /** The origin hop only, as the origin-network facet counts it: an address or a CIDR. */
    private static Query originNet(String value) {
        int slash = value.indexOf('/');
        InetAddress ip = HitDocuments.parseIp(slash < 0 ? value : value.substring(0, slash)).orElseThrow(() ->
                new QuerySyntaxException("net: needs a network like 198.51.100.0/24 or 2001:db8:1::/48, not '" + value + "'"));
        return InetAddressPoint.newPrefixQuery(ORIGIN_IP, ip, slash < 0 ? ip.getAddress().length * 8 : prefixLength("net", value, slash, ip));
    }

    private static int prefixLength(String field, String value, int slash, InetAddress ip) {
        int bits;
        try {
            bits = Integer.parseInt(value.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new QuerySyntaxException(field + ": prefix length must be a number, e.g. 198.51.100.0/24");
        }
        int max = ip.getAddress().length * 8;
        if (bits < 0 || bits > max) {
            throw new QuerySyntaxException(field + ": prefix length must be 0.." + max + ", not " + bits);
        }
        return bits;
    }

    private static Instant day(String value) {
        try {
            return LocalDate.parse(value.replace('/', '-')).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new QuerySyntaxException("day: needs a UTC date like 2026-11-20, not '" + value + "'");
        }
    }

    private static Instant instant(String field, String value) {
        String v = value.replace('/', '-');
        try {
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (v.endsWith("Z") || v.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return java.time.OffsetDateTime.parse(v).toInstant();
            }
            return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new QuerySyntaxException(field + ": needs a UTC date like 2026-11-20 or 2026-11-20T03:12, not '" + value + "'");
        }
    }

    private Query text(String field, String value, boolean quoted) {
        return quoted ? phrase(field, value) : word(field, value);
    }

    private Query word(String field, String word) {
        if (word.length() > 1 && word.endsWith("*") && word.indexOf('*') == word.length() - 1) {
            List<String> terms = analyze(field, word.substring(0, word.length() - 1));
            if (terms.size() == 1) {
                return new PrefixQuery(new Term(field, terms.get(0)));
            }
        }
        return phrase(field, word);
    }

    /** Words of the value as a phrase (one word: a term); words that analyse to nothing match nothing. */
    private Query phrase(String field, String text) {
        List<String> terms = analyze(field, text);
        if (terms.isEmpty()) {
            return new MatchNoDocsQuery("no words in '" + text + "'");
        }
        if (terms.size() == 1) {
            return new TermQuery(new Term(field, terms.get(0)));
        }
        PhraseQuery.Builder b = new PhraseQuery.Builder();
        for (String term : terms) {
            b.add(new Term(field, term));
        }
        return b.build();
    }

    /**
     * The query text that keeps only hits with {@code value} in {@code field} (a facet value as a filter),
     * quoted when it has spaces or parentheses; empty when the language cannot spell it (a value with a
     * double quote in it).
     */
    public static java.util.Optional<String> filter(String field, String value) {
        if (!PREFIXES.contains(field) || value == null || value.isEmpty() || value.indexOf('"') >= 0) {
            return java.util.Optional.empty();
        }
        boolean plain = value.chars().noneMatch(c -> Character.isWhitespace(c) || c == '(' || c == ')');
        return java.util.Optional.of(field + ":" + (plain ? value : "\"" + value + "\""));
    }

    /** Words of the query the index could have matched, for snippets. */
    public List<String> freeWords(String input) {
        List<String> out = new ArrayList<>();
        try {
            for (Token t : tokenize(input == null ? "" : input)) {
                if (t.kind == Kind.WORD || t.kind == Kind.PHRASE) {
                    out.addAll(analyze(TEXT, t.text.replace("*", "")));
                } else if ((t.kind == Kind.FIELD_WORD || t.kind == Kind.FIELD_PHRASE) && t.field.equals("subject")) {
                    out.addAll(analyze(TEXT, t.text));
                }
            }
        } catch (QuerySyntaxException e) {
            return List.of();
        }
        return out;
    }

    private List<String> analyze(String field, String text) {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
