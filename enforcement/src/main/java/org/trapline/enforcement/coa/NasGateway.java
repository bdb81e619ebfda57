package org.trapline.enforcement.coa;

/**
 * Sends one CoA or Disconnect and reports the outcome; never throws for NAS trouble (timeouts, NAKs
 * and bad settings are results). {@link CoaSender} talks RADIUS; tests and dry runs can stand in.
 */
@FunctionalInterface
public interface NasGateway {
    CoaResult send(NasCommand command);
}
