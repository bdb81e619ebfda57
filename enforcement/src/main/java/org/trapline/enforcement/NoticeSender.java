package org.trapline.enforcement;

/**
 * Delivers a notice to the subscriber (e-mail through the provider's relay in production). Throwing
 * marks the notice action FAILED with the exception's message.
 */
@FunctionalInterface
public interface NoticeSender {
    /** @return a short description of what was done, for the journal (e.g. the recipient and relay) */
    String send(Notice notice) throws Exception;

    /**
     * Tells staff about the brake; throwing marks the BRAKE entry FAILED with the exception's message.
     *
     * @return a short description of what was done, for the journal
     */
    default String sendToStaff(StaffNotice notice) throws Exception {
        throw new UnsupportedOperationException("this notice sender cannot mail staff");
    }
}
