package org.trapline.origin;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.trapline.common.net.IpAddress;

/**
 * Parses one Received header value into a {@link Relay}, or empty when the header records no
 * network handoff from a known client address ("not a relay": qmail "invoked by", fetchmail, local
 * submission, Exchange pickup, lines without a client address).
 *
 * <p>The value is split into words, (comments), [address literals] and &lt;angle&gt; groups with
 * matched parentheses; the "from" part (before the first top-level {@code by}) says who connected,
 * the rest who received. The client address is taken, in this order, from the last comment in the
 * from part that holds one ({@code (rdns [ip])}, {@code ([ip])}, {@code (ip)}, {@code (ident@ip)}),
 * from the last address literal after the name ({@code name [ip]}), and only then from the from-name
 * itself. Receivers write the client's HELO before their own comment, so a HELO that looks like an
 * address or smuggles a comment never overrides the address the receiver recorded, and HELO
 * arguments ({@code HELO x}, {@code helo=x}) are never read as the client address.
 *
 * <p>Hostile input is bounded: the value is cut to {@link #MAX_CHARS} characters after control
 * characters (NUL included) become spaces, every pass is linear, and nothing is thrown.
 * Thread-safe and stateless.
 */
public final class ReceivedParser {

    /** Characters of a header value that are looked at; real headers are far shorter. */
    public static final int MAX_CHARS = 8192;

    private static final int MAX_TOKENS = 512;

    private static final Set<String> AUTH_PROTOCOLS = Set.of("ESMTPA", "ESMTPSA", "LMTPA", "LMTPSA",
            "ASMTP", "HTTP", "HTTPU");
    private static final Set<String> NO_RDNS = Set.of("unknown", "softdnserr", "unverified", "may", "account");

    /** Parses one header value (folded or not); never throws. */
    public Optional<Relay> parse(String headerValue) {
        try {
            return Optional.ofNullable(parseOrNull(normalise(headerValue)));
        } catch (RuntimeException e) {
            // A parser bug must not lose the message; the header is then treated as not a relay.
            return Optional.empty();
        }
    }

    /** Whitespace-collapsed, control-free, bounded text of a header value. */
    static String normalise(String value) {
        if (value == null) {
            return "";
        }
        int limit = Math.min(value.length(), MAX_CHARS * 4);
        StringBuilder sb = new StringBuilder(Math.min(limit, MAX_CHARS));
        boolean space = true;
        for (int i = 0; i < limit && sb.length() < MAX_CHARS; i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == 0x7f || Character.isWhitespace(c)) {
                if (!space) {
                    sb.append(' ');
                    space = true;
                }
            } else {
                sb.append(c);
                space = false;
            }
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        return sb.substring(0, end);
    }

    private enum Kind { WORD, PAREN, BRACKET, ANGLE }

    /** A lexical piece; {@code glued} when no space separates it from the previous piece. */
    private record Token(Kind kind, String text, boolean glued, int offset) {
        boolean isWord(String w) {
            return kind == Kind.WORD && text.equalsIgnoreCase(w);
        }
    }

    private static List<Token> tokenize(String s) {
        int n = s.length();
        int[] closeParen = new int[n];
        int[] stack = new int[n];
        int top = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            closeParen[i] = -1;
            if (c == '(') {
                stack[top++] = i;
            } else if (c == ')' && top > 0) {
                closeParen[stack[--top]] = i;
            }
        }
        int[] nextSquare = nextIndexOf(s, ']');
        int[] nextAngle = nextIndexOf(s, '>');
        List<Token> out = new ArrayList<>();
        int i = 0;
        boolean spaced = true;
        while (i < n && out.size() < MAX_TOKENS) {
            char c = s.charAt(i);
            if (c == ' ') {
                spaced = true;
                i++;
                continue;
            }
            int end;
            if (c == '(' && closeParen[i] > 0) {
                end = closeParen[i];
                out.add(new Token(Kind.PAREN, s.substring(i + 1, end), !spaced, i));
                i = end + 1;
            } else if (c == '[' && nextSquare[i] > 0) {
                end = nextSquare[i];
                out.add(new Token(Kind.BRACKET, s.substring(i + 1, end), !spaced, i));
                i = end + 1;
            } else if (c == '<' && nextAngle[i] > 0) {
                end = nextAngle[i];
                out.add(new Token(Kind.ANGLE, s.substring(i + 1, end), !spaced, i));
                i = end + 1;
            } else {
                int start = i;
                i++;
                while (i < n) {
                    char d = s.charAt(i);
                    if (d == ' ' || (d == '(' && closeParen[i] > 0) || (d == '[' && nextSquare[i] > 0)
                            || (d == '<' && nextAngle[i] > 0)) {
                        break;
                    }
                    i++;
                }
                out.add(new Token(Kind.WORD, s.substring(start, i), !spaced, start));
            }
            spaced = false;
        }
        return out;
    }

    /** For each position, the index of the next {@code close} character at or after it, or -1. */
    private static int[] nextIndexOf(String s, char close) {
        int[] next = new int[s.length()];
        int at = -1;
        for (int i = s.length() - 1; i >= 0; i--) {
            if (s.charAt(i) == close) {
                at = i;
            }
            next[i] = at;
        }
        return next;
    }

    /** What a (comment) in the from part says about the client. */
    private static final class Comment {
        String ip;
        boolean ipHasPort;
        int ipPort; // written with the address: "[ip]:port", "ip:port", Exim's "ip.port"
        int keywordPort; // "port=N" or "port N"
        boolean eximFields; // "helo=" or "ident=": Exim's "(port=N helo=x)" describes the client
        boolean ipAlone; // "(ip)" or "(ident@ip)": qmail's form, no room for a separate rDNS
        String rdns;
        String ident;
        String helo;
        boolean heloKeyword; // "HELO x" rather than "helo=x"
        String nameOnly;
        boolean verified;
        String authMechanism;
        boolean authenticated;
        boolean postfixAuth;
        boolean webmailUser;
    }

    private static Comment readComment(String text) {
        Comment c = new Comment();
        List<Token> t = tokenize(text);
        boolean[] consumed = new boolean[t.size()];
        for (int i = 0; i < t.size(); i++) {
            Token tok = t.get(i);
            Token next = i + 1 < t.size() ? t.get(i + 1) : null;
            if (consumed[i]) {
                continue;
            }
            if (tok.kind == Kind.WORD) {
                String w = tok.text;
                String lw = w.toLowerCase(Locale.ROOT);
                if (lw.equals("helo") || lw.equals("ehlo") || lw.equals("lhlo")) {
                    if (c.helo == null) {
                        c.helo = next == null ? "" : literalText(next);
                        c.heloKeyword = true;
                    }
                    if (next != null) {
                        consumed[i + 1] = true;
                    }
                    continue;
                }
                if (lw.startsWith("port=")) {
                    c.keywordPort = portNumber(trimPunct(w.substring(5)));
                    continue;
                }
                if (lw.equals("port") && next != null && next.kind == Kind.WORD) {
                    int p = portNumber(trimPunct(next.text));
                    if (p > 0) {
                        c.keywordPort = p;
                        consumed[i + 1] = true;
                        continue;
                    }
                }
                if (lw.startsWith("helo=") || lw.startsWith("ident=")) {
                    c.eximFields = true;
                    String v = w.substring(w.indexOf('=') + 1);
                    if (v.isEmpty() && next != null && next.glued) {
                        v = literalText(next);
                        consumed[i + 1] = true;
                    }
                    if (lw.startsWith("helo=")) {
                        c.helo = c.helo == null ? v : c.helo;
                    } else {
                        c.ident = c.ident == null ? v : c.ident;
                    }
                    continue;
                }
                if (lw.equals("verified")) {
                    c.verified = true;
                }
                if (lw.equals("auth:") && next != null && next.kind == Kind.WORD) {
                    c.authMechanism = trimPunct(next.text);
                    consumed[i + 1] = true;
                    continue;
                }
                if (lw.equals("authenticated")) {
                    String prev = i > 0 && t.get(i - 1).kind == Kind.WORD ? t.get(i - 1).text.toLowerCase(Locale.ROOT) : "";
                    if (prev.endsWith("mail")) {
                        c.webmailUser = true; // SquirrelMail / NaSMail authenticated user
                    } else if (next != null && next.text.equalsIgnoreCase("sender:")) {
                        c.postfixAuth = true;
                    } else if (i == 0) {
                        c.authenticated = true;
                    }
                    continue;
                }
                if (c.ip != null) {
                    continue;
                }
                int at = w.lastIndexOf('@');
                if (at >= 0) {
                    String before = w.substring(0, at);
                    String after = w.substring(at + 1);
                    if (after.isEmpty() && next != null && next.kind == Kind.BRACKET && next.glued) {
                        Address a = address(next.text);
                        if (a != null) {
                            c.ip = a.ip;
                            c.ipHasPort = a.hasPort;
                            c.ipPort = a.port;
                            c.ident = before;
                            c.ipAlone = t.size() == 2 && !text.startsWith(" ");
                            consumed[i + 1] = true;
                            int glued = gluedPort(t, i + 2);
                            if (glued >= 0) {
                                c.ipPort = glued;
                                consumed[i + 2] = true;
                            }
                            continue;
                        }
                    }
                    Address a = address(trimPunct(after));
                    if (a != null) {
                        c.ip = a.ip;
                        c.ipHasPort = a.hasPort;
                        c.ipPort = a.port;
                        c.ident = before;
                        c.ipAlone = t.size() == 1;
                        continue;
                    }
                }
                Address a = address(trimPunct(w));
                if (a != null) {
                    c.ip = a.ip;
                    c.ipHasPort = a.hasPort;
                    c.ipPort = a.port;
                    c.ipAlone = t.size() == 1 && !a.hasPort && !text.startsWith(" ");
                    if (next != null && next.kind == Kind.BRACKET && address(next.text) != null) {
                        // "(1.2.3.4 [1.2.3.4])": the bracketed one is the connection, the word is a name
                        c.ip = null;
                    }
                    continue;
                }
                if (t.size() == 1) {
                    c.nameOnly = w;
                }
            } else if (tok.kind == Kind.BRACKET && c.ip == null) {
                Address a = address(tok.text);
                if (a == null) {
                    continue;
                }
                c.ip = a.ip;
                c.ipHasPort = a.hasPort;
                c.ipPort = a.port;
                int glued = gluedPort(t, i + 1);
                if (glued >= 0) {
                    c.ipPort = glued;
                    consumed[i + 1] = true;
                }
                Token prev = i > 0 ? t.get(i - 1) : null;
                if (prev != null && prev.kind == Kind.WORD && !consumed[i - 1]) {
                    String name = prev.text;
                    if (name.regionMatches(true, 0, "IDENT:", 0, 6)) {
                        name = name.substring(6);
                    }
                    int at = name.lastIndexOf('@');
                    if (at >= 0) {
                        c.ident = name.substring(0, at);
                        name = name.substring(at + 1);
                    }
                    if (!name.isEmpty() && address(name) == null || !name.isEmpty() && !prev.glued) {
                        c.rdns = NO_RDNS.contains(name.toLowerCase(Locale.ROOT)) ? "" : name;
                    }
                } else if (prev != null && prev.kind == Kind.ANGLE) {
                    c.rdns = ""; // "<unknown.domain>[ip]"
                }
            }
        }
        return c;
    }

    /** The text of a token as the client wrote it: literals keep their brackets. */
    private static String literalText(Token t) {
        return switch (t.kind) {
            case BRACKET -> "[" + t.text + "]";
            case ANGLE -> "<" + t.text + ">";
            case PAREN -> "(" + t.text + ")";
            default -> t.text;
        };
    }

    /** An address as written, with whether a port was written with it and its value (0 when invalid). */
    private record Address(String ip, boolean hasPort, int port) {
    }

    /**
     * An address inside a literal or comment: {@code 1.2.3.4}, {@code 1.2.3.4:25},
     * {@code 1.2.3.4.25} (Exim's old port notation), {@code IPv6:...}, {@code ::ffff:1.2.3.4}.
     */
    private static Address address(String text) {
        if (text.startsWith("[")) {
            text = text.substring(1); // ecelerity's "([[ip:port])"
        }
        if (text.isEmpty() || text.length() > 60) {
            return null;
        }
        String ip = IpAddress.canonicalOrNull(text);
        if (ip != null) {
            return new Address(ip, false, Endpoint.UNKNOWN_PORT);
        }
        int colon = text.lastIndexOf(':');
        if (colon > 0 && text.indexOf(':') == colon) {
            ip = IpAddress.canonicalOrNull(text.substring(0, colon));
            String port = text.substring(colon + 1);
            if (ip != null && text.indexOf('.') >= 0 && allDigits(port)) {
                return new Address(ip, true, portNumber(port));
            }
        }
        int dot = text.lastIndexOf('.');
        if (dot > 0 && text.indexOf(':') < 0 && allDigits(text.substring(dot + 1))
                && text.chars().filter(ch -> ch == '.').count() == 4) {
            ip = IpAddress.canonicalOrNull(text.substring(0, dot));
            if (ip != null) {
                return new Address(ip, true, portNumber(text.substring(dot + 1)));
            }
        }
        return null;
    }

    /** A TCP port written in decimal (1..65535), or {@link Endpoint#UNKNOWN_PORT}. */
    private static int portNumber(String digits) {
        if (!allDigits(digits)) {
            return Endpoint.UNKNOWN_PORT;
        }
        int p = Integer.parseInt(digits);
        return p <= 65535 ? p : Endpoint.UNKNOWN_PORT;
    }

    /**
     * The port of a {@code :port} word glued to the address literal before token {@code j}
     * ({@code [192.0.2.1]:52143}, {@code [IPv6:2001:db8::1]:52143}), 0 for an invalid number, or -1
     * when token {@code j} is no such word.
     */
    private static int gluedPort(List<Token> t, int j) {
        if (j >= t.size()) {
            return -1;
        }
        Token tok = t.get(j);
        if (tok.kind != Kind.WORD || !tok.glued || tok.text.length() < 2 || tok.text.charAt(0) != ':') {
            return -1;
        }
        String digits = trimPunct(tok.text.substring(1));
        return allDigits(digits) ? portNumber(digits) : -1;
    }

    private static boolean allDigits(String s) {
        return !s.isEmpty() && s.length() <= 5 && s.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }

    private static String trimPunct(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && ",;\"'".indexOf(s.charAt(b)) >= 0) {
            b++;
        }
        while (e > b && ",;:\"')".indexOf(s.charAt(e - 1)) >= 0) {
            e--;
        }
        return s.substring(b, e);
    }

    private static boolean startsWithWord(String s, String word) {
        return s.regionMatches(true, 0, word, 0, word.length());
    }

    private Relay parseOrNull(String s) {
        if (s.startsWith("(")) {
            // "(from HOST [ip]) by ...": some gateways wrap the from part in a comment
            if (!startsWithWord(s, "(from ")) {
                return null;
            }
            List<Token> outer = tokenize(s);
            if (outer.isEmpty() || outer.get(0).kind != Kind.PAREN) {
                return null;
            }
            Token first = outer.get(0);
            s = first.text + " " + s.substring(Math.min(s.length(), first.offset + first.text.length() + 2));
            s = normalise(s);
        }
        if (!startsWithWord(s, "from ")) {
            return null;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.contains("(fetchmail")) {
            return null; // a POP/IMAP pickup, not an SMTP handoff
        }
        int semi = s.lastIndexOf(';');
        String body = semi >= 0 ? s.substring(0, semi) : s;
        List<Token> t = tokenize(body);
        int byAt = -1;
        for (int i = 1; i < t.size(); i++) {
            if (t.get(i).isWord("by")) {
                byAt = i;
                break;
            }
        }
        if (byAt < 0 || byAt + 1 >= t.size()) {
            return null;
        }
        Token byTok = t.get(byAt + 1);
        String by = byTok.kind == Kind.WORD ? trimPunct(byTok.text) : literalText(byTok);
        if (by.isEmpty()) {
            return null;
        }
        String byPart = body.substring(t.get(byAt).offset);
        if (localDelivery(byPart)) {
            return null;
        }

        // ---- the from part: who connected
        String name = "";
        boolean nameLiteral = false;
        String nameIp = null;
        int namePort = Endpoint.UNKNOWN_PORT;
        int i = 1;
        if (i < byAt && t.get(i).kind == Kind.WORD) {
            name = t.get(i).text;
            nameIp = IpAddress.canonicalOrNull(name);
            i++;
        } else if (i < byAt && t.get(i).kind == Kind.BRACKET) {
            name = literalText(t.get(i));
            nameLiteral = true;
            Address a = address(t.get(i).text);
            nameIp = a == null ? null : a.ip;
            if (a != null) {
                int glued = gluedPort(t, i + 1); // F-Secure's "from [ip]:port (HELO x)"
                namePort = glued >= 0 ? glued : a.port;
            }
            i++;
        }
        Comment ipComment = null;
        boolean ipCommentGlued = false;
        Comment firstNameOnly = null;
        String literalIp = null;
        int literalPort = Endpoint.UNKNOWN_PORT;
        int eximPort = Endpoint.UNKNOWN_PORT;
        String helo = null;
        String ident = null;
        String authMechanism = null;
        boolean authenticated = false;
        boolean postfixAuth = false;
        boolean webmailUser = false;
        boolean verified = false;
        boolean heloComment = false;
        for (; i < byAt; i++) {
            Token tok = t.get(i);
            if (tok.kind == Kind.PAREN) {
                Comment c = readComment(tok.text);
                if (c.ip != null) {
                    // the last one: a HELO can smuggle "(x [ip])" in front of the receiver's comment,
                    // never after it
                    ipComment = c;
                    ipCommentGlued = tok.glued && i == 2;
                }
                if (c.ip == null && c.eximFields && eximPort == Endpoint.UNKNOWN_PORT) {
                    eximPort = c.keywordPort; // "from [ip] (port=N helo=x)"
                }
                if (c.nameOnly != null && firstNameOnly == null) {
                    firstNameOnly = c;
                }
                if (helo == null && c.helo != null && c.ip == null && c.heloKeyword) {
                    heloComment = true;
                }
                helo = helo == null ? c.helo : helo;
                ident = ident == null ? c.ident : ident;
                authMechanism = authMechanism == null ? c.authMechanism : authMechanism;
                authenticated |= c.authenticated;
                postfixAuth |= c.postfixAuth;
                webmailUser |= c.webmailUser;
                verified |= c.verified;
            } else if (tok.kind == Kind.BRACKET) {
                Address a = address(tok.text);
                if (a != null) {
                    literalIp = a.ip;
                    int glued = gluedPort(t, i + 1);
                    literalPort = glued >= 0 ? glued : a.port;
                }
            } else if (tok.kind == Kind.WORD) {
                String lw = tok.text.toLowerCase(Locale.ROOT);
                if (lw.startsWith("helo=") && helo == null) {
                    helo = tok.text.substring(5);
                } else if (lw.equals("claiming") && i + 3 < byAt && t.get(i + 2).isWord("be") && helo == null) {
                    helo = trimPunct(t.get(i + 3).text);
                }
            }
        }
        String ip = ipComment != null ? ipComment.ip : literalIp != null ? literalIp : nameIp;
        if (ip == null) {
            return null;
        }
        int port;
        if (ipComment != null) {
            // a port keyword counts only in the comment that records the client's address, never in
            // one like "(amavisd-new, port 10024)", which names the receiver's own listener
            port = ipComment.ipPort != Endpoint.UNKNOWN_PORT ? ipComment.ipPort : ipComment.keywordPort;
        } else {
            port = literalIp != null ? literalPort : namePort;
            if (port == Endpoint.UNKNOWN_PORT) {
                port = eximPort;
            }
        }
        boolean exim = lower.contains("exim");
        String plainName = nameLiteral ? "" : name;
        String rdns = "";
        String defaultHelo;
        if (ipComment != null && ipComment.rdns != null) {
            rdns = ipComment.rdns;
            defaultHelo = name;
        } else if (ipComment != null && ipComment.ipAlone) {
            rdns = plainName;
            defaultHelo = ipCommentGlued ? "" : name;
        } else if (ipComment != null) {
            // Exim, CommuniGate "verified", and "rdns (EHLO helo) ([ip])" (James, qmail-ldap) put the
            // receiver's rDNS in the from-name
            if (exim || verified || heloComment) {
                rdns = plainName;
            }
            defaultHelo = nameLiteral && ipComment.ipHasPort ? "" : name;
        } else if (literalIp != null) {
            if (exim || helo != null) {
                rdns = plainName;
            }
            defaultHelo = name;
        } else {
            // Exim writes "[ip]" when the client had no name and puts the HELO in helo=
            defaultHelo = nameLiteral && !exim ? name : "";
        }
        if (exim && helo == null && firstNameOnly != null) {
            helo = firstNameOnly.nameOnly;
        }
        if (helo == null) {
            helo = defaultHelo;
        }
        if (rdns.equalsIgnoreCase("unknown")) {
            rdns = "";
        }
        String auth = auth(byPart, authMechanism, postfixAuth, authenticated, lower, by, helo, literalIp);
        if (webmailUser) {
            rdns = "";
            helo = "";
        } else if (nameLiteral && helo.equals(name) && isHttp(auth) && ipComment == null) {
            helo = ""; // a webmail front end names the browser's address, not a HELO
        }
        OffsetDateTime time = semi >= 0 ? ReceivedDate.find(s.substring(semi + 1)) : null;
        if (time == null) {
            time = ReceivedDate.find(s);
        }
        return new Relay(ip, port, rdns, helo, by, ident == null ? "" : ident, envelopeFrom(s, byPart), id(s), auth,
                time);
    }

    private static boolean isHttp(String auth) {
        return auth.toUpperCase(Locale.ROOT).startsWith("HTTP");
    }

    /** Handoffs inside one host or batch transfers: Exim "with local", BSMTP, qmail-scanner. */
    private static boolean localDelivery(String byPart) {
        String[] w = byPart.split(" ");
        for (int i = 0; i + 1 < w.length; i++) {
            if (w[i].equalsIgnoreCase("with")) {
                String p = w[i + 1].toLowerCase(Locale.ROOT);
                if (p.startsWith("local") || p.equals("bsmtp") || p.startsWith("qmail-scanner")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String auth(String byPart, String mechanism, boolean postfixAuth, boolean authenticated,
                               String lower, String by, String helo, String literalIp) {
        String[] w = byPart.split(" ");
        for (int i = 0; i + 1 < w.length; i++) {
            String kw = w[i].replace("(", "");
            if (kw.equalsIgnoreCase("with") || kw.equalsIgnoreCase("via")) {
                int at = i + 1;
                if (w[at].equalsIgnoreCase("MailEnable") && at + 1 < w.length) {
                    at++; // "with MailEnable ESMTPA": the product name comes before the protocol
                }
                String p = trimPunct(w[at]).replace(")", "");
                if (AUTH_PROTOCOLS.contains(p.toUpperCase(Locale.ROOT))) {
                    return p;
                }
            }
        }
        if (mechanism != null && !mechanism.isEmpty()) {
            return mechanism;
        }
        if (postfixAuth) {
            return "Postfix";
        }
        if (authenticated) {
            return "Sendmail";
        }
        if (byPart.toLowerCase(Locale.ROOT).contains("(authenticated as ")) {
            return "CriticalPath";
        }
        String lby = by.toLowerCase(Locale.ROOT);
        if ((lby.startsWith("mail.gmx.") || lby.startsWith("mail.gmx-")) && literalIp != null
                && (lower.contains(" (ehlo ") || lower.contains(" (helo "))) {
            // GMX writes "from rdns (EHLO name) [ip] by mail.gmx.net" only for authenticated submission
            return "GMX";
        }
        return "";
    }

    private static String envelopeFrom(String s, String byPart) {
        String lower = s.toLowerCase(Locale.ROOT);
        for (String key : new String[] {"envelope-from", "envelope-sender", "return-path"}) {
            int at = lower.indexOf(key);
            while (at >= 0) {
                int v = at + key.length();
                if (v < s.length() && (s.charAt(v) == ' ' || s.charAt(v) == '=' || s.charAt(v) == ':')) {
                    v++;
                    while (v < s.length() && s.charAt(v) == ' ') {
                        v++;
                    }
                    String value = cleanAddress(s, v);
                    if (!value.isEmpty()) {
                        return value;
                    }
                }
                at = lower.indexOf(key, at + 1);
            }
        }
        // XMail: "... for <rcpt> from <sender>"
        String lby = byPart.toLowerCase(Locale.ROOT);
        int from = lby.indexOf(" from <");
        if (from >= 0) {
            return cleanAddress(byPart, from + 6);
        }
        return "";
    }

    private static String cleanAddress(String s, int start) {
        int end = start;
        while (end < s.length() && s.charAt(end) != ' ') {
            end++;
        }
        String v = s.substring(start, end);
        int b = 0;
        int e = v.length();
        while (b < e && v.charAt(b) == '<') {
            b++;
        }
        while (e > b && ">),;".indexOf(v.charAt(e - 1)) >= 0) {
            e--;
        }
        return v.substring(b, e);
    }

    /** The first "id VALUE" (VALUE at least three characters, angle brackets dropped). */
    private static String id(String s) {
        int n = s.length();
        for (int i = 1; i + 3 < n; i++) {
            if (s.charAt(i - 1) == ' ' && (s.charAt(i) == 'i' || s.charAt(i) == 'I')
                    && (s.charAt(i + 1) == 'd' || s.charAt(i + 1) == 'D') && s.charAt(i + 2) == ' ') {
                int v = i + 3;
                if (v < n && s.charAt(v) == '<') {
                    v++;
                }
                int e = v;
                while (e < n && " <>;".indexOf(s.charAt(e)) < 0) {
                    e++;
                }
                if (e - v >= 3) {
                    return s.substring(v, e);
                }
            }
        }
        return "";
    }
}
