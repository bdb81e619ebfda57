package org.trapline.enforcement.coa;

import org.trapline.attribution.session.SessionTarget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

import org.tinyradius.attribute.RadiusAttribute;
import org.tinyradius.attribute.VendorSpecificAttribute;
import org.tinyradius.dictionary.AttributeType;
import org.tinyradius.dictionary.DefaultDictionary;
import org.tinyradius.dictionary.Dictionary;
import org.tinyradius.packet.CoaRequest;
import org.tinyradius.packet.RadiusPacket;
import org.tinyradius.util.RadiusException;

/**
 * Sends RFC 5176 CoA-Request and Disconnect-Request packets and waits for the NAS's answer.
 *
 * <p>Requests are built with TinyRadius's {@link CoaRequest}, whose Request Authenticator is the
 * RFC 5176 one (MD5 over the packet with a zero authenticator and the secret); a plain RadiusPacket
 * would get a random RFC 2865 authenticator that NASes (and FreeRADIUS) drop. The send loop is our own
 * so that a retransmission reuses the same socket, identifier and authenticator (RFC 5176 section 2.3
 * duplicate detection) and so that an answer with a wrong identifier or authenticator (a stale reply,
 * a NAS with another secret, a spoofer) is ignored rather than taken as the answer.
 *
 * <p>Each call uses its own socket, so one sender is safe to share between threads.
 */
public final class CoaSender implements NasGateway {

    private static final int ERROR_CAUSE = 101;
    private static final int MAX_PACKET = 4096;

    private final CoaSettings settings;
    private final Clock clock;
    private final Dictionary dictionary;

    public CoaSender(CoaSettings settings) {
        this(settings, Clock.systemUTC(), DefaultDictionary.getDefaultDictionary());
    }

    /**
     * @param dictionary TinyRadius dictionary naming the attributes commands may carry (the default one
     *                   has the RFC 2865/2866 attributes; vendor attributes for walled gardens need a
     *                   dictionary loaded with {@code DictionaryParser})
     */
    public CoaSender(CoaSettings settings, Clock clock, Dictionary dictionary) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.dictionary = Objects.requireNonNull(dictionary, "dictionary");
    }

    @Override
    public CoaResult send(NasCommand command) {
        Instant start = clock.instant();
        SessionTarget target = command.target();
        NasEndpoint endpoint = settings.endpointFor(target.nasIp()).orElse(null);
        if (endpoint == null) {
            return notSent(target.nasIp(), "", "no CoA secret for NAS " + target.nasIp()
                    + " (set coa.nas." + target.nasIp() + ".secret-file or coa.secret-file)", start);
        }
        RadiusPacket request;
        byte[] wire;
        try {
            request = build(command);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            request.encodeRequestPacket(out, endpoint.secret());
            wire = out.toByteArray();
        } catch (IOException | RuntimeException e) {
            return notSent(endpoint.address(), "", "cannot build request: " + e.getMessage(), start);
        }
        String requestText = describe(request);
        InetAddress address;
        try {
            address = InetAddress.getByName(endpoint.host());
        } catch (UnknownHostException e) {
            return notSent(endpoint.address(), requestText, "unknown NAS host " + endpoint.host(), start);
        }
        return exchange(endpoint, address, request, wire, requestText, start);
    }

    private CoaResult exchange(NasEndpoint endpoint, InetAddress address, RadiusPacket request, byte[] wire,
                               String requestText, Instant start) {
        List<String> ignored = new ArrayList<>();
        int attempts = 0;
        long timeoutNanos = settings.timeout().toNanos();
        try (DatagramSocket socket = new DatagramSocket()) {
            DatagramPacket out = new DatagramPacket(wire, wire.length, address, endpoint.port());
            for (int i = 0; i <= settings.retries(); i++) {
                socket.send(out);
                attempts++;
                long deadline = System.nanoTime() + timeoutNanos;
                while (true) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) break;
                    socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    DatagramPacket in = new DatagramPacket(new byte[MAX_PACKET], MAX_PACKET);
                    try {
                        socket.receive(in);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    if (!in.getAddress().equals(address) || in.getPort() != endpoint.port()) {
                        ignored.add("answer from unexpected " + in.getAddress().getHostAddress() + ":" + in.getPort());
                        continue;
                    }
                    RadiusPacket answer;
                    try {
                        answer = RadiusPacket.decodeResponsePacket(dictionary,
                                new ByteArrayInputStream(in.getData(), 0, in.getLength()), endpoint.secret(), request);
                    } catch (RadiusException | IOException | RuntimeException e) {
                        ignored.add("invalid answer ignored: " + e.getMessage());
                        continue;
                    }
                    return classify(answer, request, attempts, endpoint, requestText, String.join("; ", ignored), start);
                }
            }
        } catch (IOException e) {
            ignored.add("send failed: " + e.getMessage());
        }
        return new CoaResult(CoaResult.Outcome.TIMEOUT, null, attempts, endpoint.address(), requestText, "",
                String.join("; ", ignored), start, clock.instant());
    }

    private CoaResult classify(RadiusPacket answer, RadiusPacket request, int attempts, NasEndpoint endpoint,
                               String requestText, String detail, Instant start) {
        int type = answer.getPacketType();
        boolean ack = type == RadiusPacket.COA_ACK || type == RadiusPacket.DISCONNECT_ACK;
        boolean nak = type == RadiusPacket.COA_NAK || type == RadiusPacket.DISCONNECT_NAK;
        String answerText = describe(answer);
        if (!ack && !nak) {
            return new CoaResult(CoaResult.Outcome.ERROR, null, attempts, endpoint.address(), requestText, answerText,
                    "unexpected answer type " + type + " to " + request.getPacketTypeName(), start, clock.instant());
        }
        Integer cause = null;
        RadiusAttribute errorCause = answer.getAttribute(ERROR_CAUSE);
        if (errorCause != null && errorCause.getAttributeData().length == 4) {
            byte[] d = errorCause.getAttributeData();
            cause = ((d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
        }
        return new CoaResult(ack ? CoaResult.Outcome.ACK : CoaResult.Outcome.NAK, cause, attempts, endpoint.address(),
                requestText, answerText, detail, start, clock.instant());
    }

    private RadiusPacket build(NasCommand command) {
        CoaRequest packet = new CoaRequest(command.kind().code());
        packet.setDictionary(dictionary);
        SessionTarget t = command.target();
        packet.addAttribute("NAS-IP-Address", t.nasIp());
        if (t.userName() != null) packet.addAttribute("User-Name", t.userName());
        if (t.acctSessionId() != null) packet.addAttribute("Acct-Session-Id", t.acctSessionId());
        // Framed-IP-Address is IPv4 only; an IPv6 session is identified by its Acct-Session-Id and User-Name.
        if (t.framedIp() != null && !t.framedIp().contains(":")) packet.addAttribute("Framed-IP-Address", t.framedIp());
        for (NasAttribute a : command.attributes()) {
            packet.addAttribute(a.name(), a.value());
        }
        return packet;
    }

    /** Packet as FreeRADIUS's debug output shows it: the type, then {@code Name = value} per attribute. */
    static String describe(RadiusPacket packet) {
        StringJoiner lines = new StringJoiner("\n");
        lines.add(packet.getPacketTypeName() + " id " + packet.getPacketIdentifier());
        for (Object o : packet.getAttributes()) {
            RadiusAttribute a = (RadiusAttribute) o;
            if (a instanceof VendorSpecificAttribute vsa) {
                for (Object s : vsa.getSubAttributes()) lines.add(line((RadiusAttribute) s));
            } else {
                lines.add(line(a));
            }
        }
        return lines.toString();
    }

    private static String line(RadiusAttribute a) {
        if (a.getVendorId() == -1 && a.getAttributeType() == ERROR_CAUSE && a.getAttributeData().length == 4) {
            byte[] d = a.getAttributeData();
            int code = ((d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
            return "Error-Cause = " + ErrorCause.describe(code);
        }
        AttributeType type = a.getAttributeTypeObject();
        String name = type != null ? type.getName()
                : (a.getVendorId() == -1 ? "Attr-" : "Vendor-" + a.getVendorId() + "-Attr-") + a.getAttributeType();
        String value;
        try {
            value = a.getAttributeValue();
        } catch (RuntimeException e) {
            value = "(undecodable)";
        }
        // Control characters from a hostile or broken NAS must not forge extra journal lines.
        return name + " = " + value.replaceAll("\\p{Cntrl}", "?");
    }

    private CoaResult notSent(String nas, String requestText, String why, Instant start) {
        return new CoaResult(CoaResult.Outcome.ERROR, null, 0, nas, requestText, "", why, start, clock.instant());
    }
}
