package org.trapline.attribution.lookup;

/** What the accounting says about an (address, instant). */
public enum AttributionStatus {
    /** Exactly one session held the address then. */
    MATCHED,
    /** Several sessions could have held it (overlap within the tolerances): never guess between them. */
    AMBIGUOUS,
    /** The address is ours but no session covers the instant. */
    NO_SESSION,
    /** The address is outside the configured subscriber networks. */
    NOT_OURS,
    /** A fixed assignment from the static assignments file. */
    STATIC
}
