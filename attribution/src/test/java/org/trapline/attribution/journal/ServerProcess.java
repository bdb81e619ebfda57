package org.trapline.attribution.journal;

import java.nio.file.Path;
import java.util.Properties;

import org.trapline.attribution.accounting.AccountingServer;
import org.trapline.attribution.accounting.AccountingServerSettings;
import org.trapline.attribution.session.SessionStore;

/** A server in a process of its own, for killing: args DATA_DIR SECRET; prints "port N" once listening. */
public final class ServerProcess {
    private ServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        p.setProperty(AccountingServerSettings.BIND, "127.0.0.1:0");
        p.setProperty(AccountingServerSettings.CLIENT_PREFIX + "127.0.0.1" + AccountingServerSettings.CLIENT_SUFFIX, args[1]);
        SessionStore store = SessionStore.open(Path.of(args[0]));
        AccountingJournal journal = AccountingJournal.open(Path.of(args[0]), JournalSettings.from(p), store);
        AccountingServer server = new AccountingServer(AccountingServerSettings.from(p), journal);
        server.start();
        System.out.println("port " + server.localAddress().getPort());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
