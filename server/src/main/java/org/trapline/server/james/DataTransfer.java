package org.trapline.server.james;

import java.io.IOException;
import java.io.OutputStream;

import org.apache.james.protocols.api.ProtocolSession;

import io.netty.buffer.ByteBuf;

/**
 * The state of one DATA transfer: where its lines start, where it ends, what of it is message, and how
 * big the message has grown. {@link SmtpFramer} asks it where the next frame ends ({@link #nextFrame});
 * {@link TrapDataLineHandler} hands it each frame in order ({@link #accept}), which writes the message
 * bytes of the frame.
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
 * <p>Frames: the line that ends the data comes by itself; everything before it comes as runs of whole
 * lines (their line endings included) of at most the framer's limit, so a message costs the session
 * handler a frame or two rather than one per line; a line longer than the limit comes in pieces of that
 * size (a piece does not end in LF), so a session never buffers more than a piece.
 *
 * <p>Not thread-safe: one per transaction, used on its channel's event loop.
 */
final class DataTransfer {
    /** Transaction attachment: the transfer under way; absent outside DATA. */
    static final ProtocolSession.AttachmentKey<DataTransfer> KEY = ProtocolSession.AttachmentKey.of("trapline.data-transfer", DataTransfer.class);

    /** What {@link #accept} returns for the frame that ends the data. */
    static final int END = -1;
    /** What {@link #accept} returns for any other frame. */
    static final int MORE = 0;

    private final boolean crlfLines;
    private final long maxBytes;
    /** The next byte of the transfer starts a line. */
    private boolean atLineStart = true;
    /** The last byte of the transfer so far. */
    private byte lastByte;
    private long messageBytes;
    private boolean tooBig;
    private boolean writeFailed;

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
     * How many of {@code in}'s readable bytes make the next frame, given every frame before it was
     * {@linkplain #accept accepted}; 0 when that cannot be told before more bytes arrive. Reads nothing.
     *
     * @param limit the longest frame but the one that ends the data (at least 3)
     */
    int nextFrame(ByteBuf in, int limit) {
        int start = in.readerIndex();
        int stop = start + Math.min(in.readableBytes(), limit);
        int pos = start;
        boolean lineStart = atLineStart;
        while (pos < stop) {
            if (lineStart) {
                int end = endOfDataAt(in, pos);
                if (end != 0) {
                    // The end comes by itself; "can't tell yet" (-1) waits for more bytes.
                    return pos > start ? pos - start : Math.max(end, 0);
                }
            }
            int lf = in.indexOf(pos, stop, (byte) '\n');
            if (lf < 0) {
                break;
            }
            lineStart = !crlfLines || (lf > start ? in.getByte(lf - 1) : lastByte) == '\r';
            pos = lf + 1;
        }
        if (pos > start) {
            return pos - start;
        }
        return in.readableBytes() >= limit ? limit : 0;
    }

    /**
     * Whether the line starting at {@code pos} ends the data: its length (2 or 3) when it does, 0 when it
     * does not, -1 when the bytes so far do not tell.
     */
    private int endOfDataAt(ByteBuf in, int pos) {
        int available = in.writerIndex() - pos;
        if (in.getByte(pos) != '.') {
            return 0;
        }
        if (available < 2) {
            return -1;
        }
        byte second = in.getByte(pos + 1);
        if (second == '\n') {
            return crlfLines ? 0 : 2;
        }
        if (second != '\r') {
            return 0;
        }
        if (available < 3) {
            return -1;
        }
        return in.getByte(pos + 2) == '\n' ? 3 : 0;
    }

    /**
     * Takes the next frame of the transfer, as {@link #nextFrame} cut it, and writes its message bytes to
     * {@code message} (none once the message is too big or a write failed).
     *
     * @return {@link #END} when the frame ends the data, else {@link #MORE}
     * @throws IOException the first time writing to {@code message} fails; the transfer goes on without
     *                     writing, so that its end is still found
     */
    int accept(byte[] frame, OutputStream message) throws IOException {
        int n = frame.length;
        if (atLineStart && isEndOfData(frame)) {
            return END;
        }
        // The message bytes are the frame's but for stuffed periods: runs between them are written.
        int[] runs = null;
        int runCount = 0;
        int runStart = 0;
        boolean lineStart = atLineStart;
        int pos = 0;
        while (pos < n) {
            if (lineStart && frame[pos] == '.' && pos + 1 < n && frame[pos + 1] != '\r' && frame[pos + 1] != '\n') {
                if (runs == null) {
                    runs = new int[8];
                } else if (runCount + 2 > runs.length) {
                    runs = java.util.Arrays.copyOf(runs, runs.length * 2);
                }
                runs[runCount++] = runStart;
                runs[runCount++] = pos;
                runStart = pos + 1;
            }
            int lf = indexOfLf(frame, pos);
            if (lf < 0) {
                break;
            }
            lineStart = !crlfLines || (lf > 0 ? frame[lf - 1] : lastByte) == '\r';
            pos = lf + 1;
        }
        boolean endsLf = n > 0 && frame[n - 1] == '\n';
        atLineStart = endsLf && lineStart;
        lastByte = n > 0 ? frame[n - 1] : lastByte;
        int dropped = runCount / 2;
        messageBytes += n - dropped;
        tooBig |= maxBytes > 0 && messageBytes > maxBytes;
        if (tooBig || writeFailed) {
            return MORE;
        }
        try {
            for (int i = 0; i < runCount; i += 2) {
                message.write(frame, runs[i], runs[i + 1] - runs[i]);
            }
            message.write(frame, runStart, n - runStart);
        } catch (IOException e) {
            writeFailed = true;
            throw e;
        }
        return MORE;
    }

    /** Whether the message outgrew the size limit; its bytes are then no longer kept. */
    boolean tooBig() {
        return tooBig;
    }

    /** Whether writing the message failed; its bytes are then no longer kept. */
    boolean writeFailed() {
        return writeFailed;
    }

    private boolean isEndOfData(byte[] frame) {
        if (frame.length == 3) {
            return frame[0] == '.' && frame[1] == '\r' && frame[2] == '\n';
        }
        return !crlfLines && frame.length == 2 && frame[0] == '.' && frame[1] == '\n';
    }

    private static int indexOfLf(byte[] frame, int from) {
        for (int i = from; i < frame.length; i++) {
            if (frame[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
