package org.trapline.server.control;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * The control socket's wire format: frames of one type byte, a four-byte big-endian length and that many
 * bytes. The client opens with {@link #ARGUMENTS}; the server streams {@link #STDOUT} and {@link #STDERR},
 * asks for standard input with {@link #WANT_STDIN} when the command first reads it (the client sends
 * {@link #STDIN} frames, then {@link #STDIN_END}), and ends with {@link #EXIT}, whose payload is the exit
 * code as four bytes.
 */
final class Frames {
    static final byte ARGUMENTS = 'A';
    static final byte STDIN = 'I';
    static final byte STDIN_END = 'E';
    static final byte WANT_STDIN = 'N';
    static final byte STDOUT = 'O';
    static final byte STDERR = 'R';
    static final byte EXIT = 'X';

    /** Larger frames are refused: nothing legitimate sends more at once, and a length is not an allocation to trust. */
    static final int MAX_PAYLOAD = 1 << 20;

    private Frames() {
    }

    record Frame(byte type, byte[] payload) {
    }

    static void write(DataOutputStream out, byte type, byte[] payload, int off, int len) throws IOException {
        synchronized (out) {
            out.writeByte(type);
            out.writeInt(len);
            out.write(payload, off, len);
            out.flush();
        }
    }

    static void write(DataOutputStream out, byte type, byte[] payload) throws IOException {
        write(out, type, payload, 0, payload.length);
    }

    static void writeExit(DataOutputStream out, int code) throws IOException {
        write(out, EXIT, new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code});
    }

    static int exitCode(byte[] payload) throws IOException {
        if (payload.length != 4) {
            throw new IOException("exit frame of " + payload.length + " bytes");
        }
        return (payload[0] & 0xff) << 24 | (payload[1] & 0xff) << 16 | (payload[2] & 0xff) << 8 | payload[3] & 0xff;
    }

    /** The next frame, or null at a clean end of stream before a frame began. */
    static Frame read(DataInputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            throw new IOException("control stream cut inside a frame header", e);
        }
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new IOException("control frame of " + length + " bytes refused");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame((byte) type, payload);
    }
}
