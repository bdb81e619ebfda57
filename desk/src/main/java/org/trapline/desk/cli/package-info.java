/**
 * The staff commands of bin/trapline on the {@link org.trapline.desk.Desk}: {@code search}, {@code show},
 * {@code export}, {@code case}, {@code actions}, {@code confirm}, {@code dismiss}, {@code retry},
 * {@code unblock}, {@code brake}. Each prints a desk view as text for a terminal (hostile text
 * scrubbed) or, with {@code --json}, as the view's one JSON form.
 */
package org.trapline.desk.cli;
