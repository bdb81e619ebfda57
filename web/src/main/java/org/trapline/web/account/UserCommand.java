package org.trapline.web.account;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.trapline.desk.AuditAct;
import org.trapline.desk.Desk;
import org.trapline.enforcement.StaffAct;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code trapline user add NAME --role ROLE}: a staff account for the web desk. The password comes from
 * standard input (its first line) or a file only its owner can read, never from the command line, where
 * {@code ps} and shell histories would show it. An added account is entered in the desk's audit, in the
 * name of the Unix user who ran the command.
 */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Staff accounts of the web desk.",
        subcommands = UserCommand.Add.class)
public final class UserCommand implements Runnable {
    private final Supplier<StaffAccounts> accounts;
    private final Supplier<Desk> desk;
    private final Supplier<InputStream> stdin;

    @Spec
    CommandSpec spec;

    public UserCommand(Supplier<StaffAccounts> accounts, Supplier<Desk> desk, Supplier<InputStream> stdin) {
        this.accounts = accounts;
        this.desk = desk;
        this.stdin = stdin;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a staff member; the password is read from standard input (first line) or --password-file.")
    static final class Add implements Callable<Integer> {
        private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

        @picocli.CommandLine.ParentCommand
        UserCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The staff name shown in every decision they take.")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, analyst, approver or admin.")
        String role;

        @Option(names = "--password-file", paramLabel = "FILE", description = "A file (mode 0600) whose first line is the password.")
        Path passwordFile;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            Role r;
            try {
                r = Role.parse(role);
            } catch (IllegalArgumentException e) {
                err.println("trapline: " + e.getMessage());
                return 2;
            }
            String password;
            if (passwordFile != null) {
                if (!Files.isRegularFile(passwordFile)) {
                    err.println("trapline: no password file " + passwordFile);
                    return 2;
                }
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(passwordFile);
                perms.retainAll(OTHERS);
                if (!perms.isEmpty()) {
                    err.println("trapline: " + passwordFile + " can be read or written by others; chmod 600 " + passwordFile);
                    return 2;
                }
                password = firstLine(Files.newInputStream(passwordFile));
            } else {
                password = firstLine(parent.stdin.get());
            }
            if (password == null || password.isEmpty()) {
                err.println("trapline: no password on " + (passwordFile != null ? passwordFile.toString() : "standard input"));
                return 2;
            }
            try {
                StaffAccount added = parent.accounts.get().add(name, r, password.toCharArray());
                String unixUser = System.getProperty("user.name", "staff");
                parent.desk.get().audit(new StaffAct(unixUser, "cli:" + unixUser, ""), AuditAct.USER_ADD, "user:" + added.name(),
                        added.role().text());
                spec.commandLine().getOut().println("staff member " + added.name() + " added as " + added.role().text());
                return 0;
            } catch (IllegalArgumentException e) {
                err.println("trapline: " + e.getMessage());
                return 2;
            }
        }

        private static String firstLine(InputStream in) throws IOException {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return r.readLine();
            }
        }
    }
}
