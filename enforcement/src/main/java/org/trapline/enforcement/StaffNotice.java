package org.trapline.enforcement;

/**
 * What staff are told when the brake on automatic actions engages or is released.
 *
 * @param actionId the BRAKE entry in the action journal
 * @param to       {@code action.brake.notify}
 */
public record StaffNotice(long actionId, String to, String subject, String text) {}
