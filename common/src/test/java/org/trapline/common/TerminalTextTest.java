package org.trapline.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void controlsAndBidiOverridesBecomeSpaces() {
        assertThat(TerminalText.safe("Cheap \u001b[31mred\u001b[0m pills")).isEqualTo("Cheap  [31mred [0m pills");
        assertThat(TerminalText.safe("a\r\nb\tc\u007fd\u009be")).isEqualTo("a  b c d e");
        assertThat(TerminalText.safe("invoice\u202egpj.exe")).isEqualTo("invoice gpj.exe");
        assertThat(TerminalText.safe("\u2066x\u2069\u200e\u200f")).isEqualTo(" x   ");
    }

    @Test
    void readableTextIsKeptAndNullIsADash() {
        assertThat(TerminalText.safe("Herr Müller, 東京 ✓")).isEqualTo("Herr Müller, 東京 ✓");
        assertThat(TerminalText.safe("")).isEmpty();
        assertThat(TerminalText.safe(null)).isEqualTo("-");
    }
}
