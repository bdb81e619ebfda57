package org.trapline.server.james;

import org.apache.james.protocols.api.ProtocolSession;

/**
 * The state of one DATA transfer: where its lines start, where it ends, what of it is message, and how
 * big the message has grown. Fed the frames of {@link SmtpFramer} in order: whole lines with their line
 * ending, or pieces of a longer line (a piece does not end in LF).
 *
 * <p>The bytes are kept as the client sent them, bare LF and bare CR included: a trap records broken bots
 * rather than refusing them. What ends the data follows the line ending of the client's DATA command, so
 * one transfer never turns into two messages (SMTP smuggling):
 * <ul>
 *   <li>after {@code DATA<CRLF>}, only {@code <CRLF>.<CRLF>} ends it, exactly as RFC 5321 4.1.1.4 says; a
 *       {@code <LF>.<LF>} or {@code <CR>.<CR>} inside is message text, and a line (for the end and for
 *       dot-unstuffing) starts only after a CRLF;</li>
 *   <li>after a bare {@code DATA<LF>}, the client evidently ends its lines with LF: a line starts after any
 *       LF, and {@code <LF>.<LF>} or {@code <LF>.<CRLF>} ends the data.</li>
 * </ul>
 * A line that starts with a period followed by more text loses that period (RFC 5321 4.5.2). A period
 * followed at once by a bare CR or LF is kept: a sender that stuffs periods never sends that (it would send
 * two), and one that does not meant the period.
 *
 * <p>Not thread-safe: one per transaction, used on its channel's event loop.
 */
final class DataTransfer {
    /** Transaction attachment: the transfer under way; absent outside DATA. */
    static final ProtocolSession.AttachmentKey<DataTransfer> KEY = ProtocolSession.AttachmentKey.of("trapline.data-transfer", DataTransfer.class);

    /** What {@link #accept} returns for the frame that ends the data. */
    static final int END = -1;

    private final boolean crlfLines;
    private final long maxBytes;
    private boolean previousEndedLine = true;
    private byte lastByte;
    private long messageBytes;
    private boolean tooBig;

    /**
     * @param dataCommandEndedWithCrlf how the client ended its DATA command line
     * @param maxBytes                 largest message accepted, 0 for no limit
     */
    DataTransfer(boolean dataCommandEndedWithCrlf, long maxBytes) {
        this.crlfLines = dataCommandEndedWithCrlf;
        this.maxBytes = maxBytes;
    }

    /** The line ending this client uses, for the lines we add to its message. */
    String lineEnding() {
        return crlfLines ? "\r\n" : "\n";
    }

    /**
     * Takes the next frame of the transfer.
     *
     * @return {@link #END} when the frame ends the data; otherwise the offset in the frame where the
     *         message bytes start (1 when a stuffed period is dropped, else 0)
     */
    int accept(byte[] frame) {
        boolean lineStart = previousEndedLine;
        int n = frame.length;
        boolean endsLf = n > 0 && frame[n - 1] == '\n';
        boolean endsCrlf = endsLf && (n > 1 ? frame[n - 2] == '\r' : lastByte == '\r');
        previousEndedLine = crlfLines ? endsCrlf : endsLf;
        lastByte = n > 0 ? frame[n - 1] : lastByte;
        if (lineStart && isEnd(frame)) {
            return END;
        }
        int from = lineStart && n > 1 && frame[0] == '.' && frame[1] != '\r' && frame[1] != '\n' ? 1 : 0;
        messageBytes += n - from;
        tooBig |= maxBytes > 0 && messageBytes > maxBytes;
        return from;
    }

    /** Whether the message outgrew the size limit; its bytes are then no longer kept. */
    boolean tooBig() {
        return tooBig;
    }

    private boolean isEnd(byte[] frame) {
        if (frame.length == 3) {
            return frame[0] == '.' && frame[1] == '\r' && frame[2] == '\n';
        }
        return !crlfLines && frame.length == 2 && frame[0] == '.' && frame[1] == '\n';
    }
}
