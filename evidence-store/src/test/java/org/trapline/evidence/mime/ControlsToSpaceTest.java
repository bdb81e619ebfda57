package org.trapline.evidence.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** Control characters in spam text become spaces (CR a line break) before staff or the index see them. */
class ControlsToSpaceTest {
    @Test
    void controlsBecomeSpacesAndCarriageReturnsLineBreaks() {
        assertThat(MessageReader.controlsToSpace("cheap\u0000pills\r\nnow\u001b[31m\u007f!\tok"))
                .isEqualTo("cheap pills\n\nnow [31m !\tok");
    }

    @Test
    void textWithoutControlsComesBackUnchanged() {
        assertThat(MessageReader.controlsToSpace("plain text\nwith\ttabs and ümlauts €")).isEqualTo("plain text\nwith\ttabs and ümlauts €");
        assertThat(MessageReader.controlsToSpace("")).isEmpty();
    }

    @Test
    void agreesWithACharacterByCharacterReadingOnRandomText() {
        Random random = new Random(42);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(200);
            for (int i = 0; i < length; i++) {
                // Mostly the low range where the control characters are, some beyond Latin-1.
                text.append((char) (random.nextInt(8) == 0 ? random.nextInt(0x3000) : random.nextInt(0x90)));
            }
            assertThat(MessageReader.controlsToSpace(text)).isEqualTo(oneAtATime(text));
        }
    }

    /** The rule spelled out one character at a time. */
    private static String oneAtATime(CharSequence s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                out.append('\n');
            } else if (c < 0x20 && c != '\n' && c != '\t' || c == 0x7f) {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
