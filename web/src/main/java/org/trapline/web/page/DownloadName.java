package org.trapline.web.page;

/**
 * The file name a download is offered under: the sender chose the attachment's name, so only letters,
 * digits, dot, dash and underscore are kept, no leading dot, at most {@value #MAX} characters, and the
 * desk's own name when nothing of it is left.
 */
final class DownloadName {
    static final int MAX = 100;

    private DownloadName() {
    }

    static String of(String given, String otherwise) {
        StringBuilder b = new StringBuilder();
        if (given != null) {
            for (int i = 0; i < given.length() && b.length() < MAX; i++) {
                char c = given.charAt(i);
                boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_';
                b.append(plain ? c : '_');
            }
        }
        String name = b.toString().replaceAll("^[._]+", "");
        return name.replace("_", "").replace(".", "").isEmpty() ? otherwise + ".bin" : name;
    }
}
