package org.trapline.attribution.detail;

/** A detail record that could not be imported, where it starts and why. */
public record DetailProblem(String file, long line, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
