/**
 * Attribution: RADIUS accounting in (server and FreeRADIUS detail import), the radacct-compatible
 * session store, and the {@code (ip, instant) -> Attribution} lookup. Knows nothing of James or Lucene.
 *
 * <p>Wiring, all from one {@link java.util.Properties} (conf/trapline.properties) and the data directory:
 * <pre>{@code
 * SessionStore store = SessionStore.open(dataDir);                      // <data>/sessions/radacct.mv.db
 * AccountingServer radius = new AccountingServer(AccountingServerSettings.from(props), store);
 * radius.start();                                                       // throws BindException if it cannot listen
 * DetailWatchSettings watch = DetailWatchSettings.from(props);
 * DetailWatcher watcher = watch.enabled()
 *         ? new DetailWatcher(watch, new DetailImporter(store, ZoneId.systemDefault(), DetailImportSettings.from(props)), store)
 *         : null;
 * AttributionLookup lookup = AttributionLookup.create(store, LookupSettings.from(props));
 * Attribution who = lookup.lookup(originIp, originInstant);              // thread-safe
 * }</pre>
 * Sub-packages by feature: {@code session} (store, records), {@code lookup}, {@code accounting}
 * (RADIUS server), {@code detail} (detail files), {@code cli} (picocli commands), {@code address}.
 */
package org.trapline.attribution;
