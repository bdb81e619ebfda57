/**
 * Attribution: RADIUS accounting in (server and FreeRADIUS detail import), the radacct-compatible
 * session store, and the {@code (ip, instant) -> Attribution} lookup. Knows nothing of James or Lucene.
 *
 * <p>Wiring, all from one {@link java.util.Properties} (conf/trapline.properties) and the data directory:
 * <pre>{@code
 * SessionStore store = SessionStore.open(dataDir);                      // <data>/sessions/radacct.mv.db
 * AccountingJournal journal = AccountingJournal.open(dataDir, JournalSettings.from(props), store);
 *                                                                       // <data>/sessions/journal; applies its tail
 * AccountingServer radius = new AccountingServer(AccountingServerSettings.from(props), journal);
 * radius.start();                                                       // throws BindException if it cannot listen
 * DetailWatchSettings watch = DetailWatchSettings.from(props);
 * DetailWatcher watcher = watch.enabled()
 *         ? new DetailWatcher(watch, new DetailImporter(store, ZoneId.systemDefault(), DetailImportSettings.from(props)), store)
 *         : null;
 * AttributionLookup lookup = AttributionLookup.create(store, LookupSettings.from(props), journal);
 * Attribution who = lookup.lookup(originIp, originInstant);              // thread-safe; sees every acknowledged record
 * // shutdown: radius.stop(); journal.close(); store.close();
 * }</pre>
 * A command reading the store while the server may be down first calls
 * {@code AccountingJournal.bringUpToDate(dataDir, JournalSettings.from(props), store)}.
 * Sub-packages by feature: {@code session} (store, records), {@code lookup}, {@code accounting}
 * (RADIUS server), {@code journal} (acknowledged accounting on its way into the store), {@code detail} (detail files), {@code cli} (picocli commands), {@code address}.
 */
package org.trapline.attribution;
