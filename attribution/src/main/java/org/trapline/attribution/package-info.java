/**
 * Attribution: RADIUS accounting in (server and FreeRADIUS detail import), the radacct-compatible
 * session store, the {@code (ip, instant) -> Attribution} lookup, and CoA/Disconnect requests to the NAS.
 * Knows nothing of James or Lucene.
 */
package org.trapline.attribution;
