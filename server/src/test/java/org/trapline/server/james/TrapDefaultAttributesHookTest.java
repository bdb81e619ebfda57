package org.trapline.server.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.james.core.Username;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.smtp.SMTPConfiguration;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.SMTPSessionImpl;
import org.apache.james.server.core.MailImpl;
import org.apache.james.smtpserver.AddDefaultAttributesMessageHook;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.Test;

class TrapDefaultAttributesHookTest {
    @Test
    void theClientIsNamedByItsAddressAndTheOtherAttributesAreJamess() throws Exception {
        // Loopback has a name in every hosts file: a reverse lookup would answer "localhost".
        SMTPSession session = session(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 2525));
        session.setAttachment(SMTPSession.CURRENT_HELO_NAME, "bot.example", ProtocolSession.State.Connection);
        MailImpl ours = mail();
        MailImpl james = mail();

        new TrapDefaultAttributesHook().onMessage(session, ours);
        new AddDefaultAttributesMessageHook().onMessage(session, james);

        assertThat(ours.getRemoteHost()).isEqualTo("127.0.0.1");
        // TraceOrigin and RecordTrapHit name the client by these two.
        assertThat(ours.getRemoteAddr()).isEqualTo(james.getRemoteAddr()).isEqualTo("127.0.0.1");
        assertThat(attributes(ours)).isEqualTo(attributes(james)).containsEntry(Mail.SMTP_HELO.asString(), "bot.example")
                .containsEntry(Mail.SMTP_SESSION_ID.asString(), "test");
    }

    @Test
    void aRelayingOrAuthenticatedClientIsMarkedAsJamesMarksIt() throws Exception {
        // Not reachable through Trapline's handlers (AUTH is never offered), but James's matchers
        // (SMTPAuthSuccessful, SMTPIsAuthNetwork) read these attributes should a configuration allow either.
        SMTPSession session = session(new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 7}), 2525));
        session.setRelayingAllowed(true);
        session.setUsername(Username.of("staff"));
        MailImpl ours = mail();
        MailImpl james = mail();

        new TrapDefaultAttributesHook().onMessage(session, ours);
        new AddDefaultAttributesMessageHook().onMessage(session, james);

        assertThat(attributes(ours)).isEqualTo(attributes(james))
                .containsEntry(Mail.SMTP_AUTH_USER.asString(), "staff")
                .containsEntry(AddDefaultAttributesMessageHook.SMTP_AUTH_NETWORK_NAME, true);
    }

    /** Each attribute's name and value, as a mailet reads them. */
    private static Map<String, Object> attributes(MailImpl mail) {
        return mail.attributes().collect(Collectors.toMap(a -> a.getName().asString(), a -> a.getValue().value()));
    }

    private static MailImpl mail() throws Exception {
        return MailImpl.builder().name("hit").sender("spammer@forged.example").addRecipient("t@trap.example.net").build();
    }

    private static SMTPSession session(InetSocketAddress client) {
        ProtocolTransport transport = (ProtocolTransport) Proxy.newProxyInstance(TrapDefaultAttributesHookTest.class.getClassLoader(),
                new Class<?>[] {ProtocolTransport.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteAddress", "getLocalAddress" -> client;
                    case "getId" -> "test";
                    case "getSSLSession" -> Optional.empty();
                    default -> method.getReturnType() == boolean.class ? false : null;
                });
        SMTPConfiguration config = (SMTPConfiguration) Proxy.newProxyInstance(TrapDefaultAttributesHookTest.class.getClassLoader(),
                new Class<?>[] {SMTPConfiguration.class}, (proxy, method, args) -> {
                    Class<?> r = method.getReturnType();
                    return r == boolean.class ? false : r == long.class ? 0L : r == int.class ? 0 : r == Optional.class ? Optional.empty() : null;
                });
        return new SMTPSessionImpl(transport, config);
    }
}
