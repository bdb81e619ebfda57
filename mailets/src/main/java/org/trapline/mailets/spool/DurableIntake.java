package org.trapline.mailets.spool;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The durability protocol of a trap hit: when its client may hear 250, and when the durable copy may go.
 * Implemented by the {@link Spool}; the calls come in this order, and each rule below is what lets a
 * message answered 250 survive kill -9 without being counted twice.
 *
 * <ol>
 *   <li><b>reserve</b>: {@link SpoolHook} takes the hit id ({@link HitIdSource#next}) that goes into the
 *       record, so the id the log shows is the id the hit keeps.</li>
 *   <li><b>append</b>: {@link #append} places the record and returns at once; the SMTP thread writes no
 *       file. When it throws (backlog full, too large, closed), the client hears 451 and nothing was
 *       accepted.</li>
 *   <li><b>await durable</b>: the {@link Intake#durable()} future completes after an fdatasync that
 *       followed the record's write, and after the segment's name was made durable.
 *       {@link DurableReplies} holds the session's replies until then (or the hook waits, without it).</li>
 *   <li><b>250</b> only when that future completed normally. When it failed, the client hears 451 and will
 *       send the message again, so the record is refused: let go of, and never replayed.</li>
 *   <li><b>pipeline</b>: {@link AwaitDurableIntake} first asks {@link #acknowledged}; a refused intake is
 *       ghosted, since its client's retry is the copy that counts. The mailets then record the hit,
 *       idempotently by intake key.</li>
 *   <li>then exactly one of: <b>release</b> ({@link ReleaseSpool} via {@link SpoolReleaser}, after a
 *       barrier made the evidence durable: {@link #release}); <b>quarantine</b> ({@link QuarantineSpool},
 *       the pipeline failed on the message itself: {@link #quarantine}); or neither, when the failure was
 *       not the message's ({@link QuarantineSpool#KEEP_SPOOLED}): it stays pending.</li>
 *   <li><b>replay</b>: at the next start, what is still pending (acknowledged, neither released nor
 *       quarantined) is put back into the pipeline by the server, which alone quarantines a record it
 *       cannot read. Reads of the pending records never write.</li>
 * </ol>
 */
public interface DurableIntake {
    /**
     * An accepted intake: the message with its key, and when it is durable. The future completes once the
     * record survives kill -9 and power loss (as far as fdatasync promises), or exceptionally when the
     * write or sync failed: then the client must hear 451, and the record is already let go of.
     */
    record Intake(SpooledMessage message, CompletableFuture<Void> durable) {
    }

    /** Thrown by {@link #append} when the backlog limit is reached: the client hears 451 and retries later. */
    final class SpoolFullException extends IOException {
        private static final long serialVersionUID = 1L;

        SpoolFullException(long pending) {
            super(pending + " messages are waiting for the pipeline");
        }
    }

    /** Step 2: places the record for the flusher and returns at once. */
    Intake append(Envelope envelope, byte[] raw) throws IOException;

    /**
     * Steps 2 and 3 on the calling thread: when this returns, the message survives kill -9 and power loss
     * (as far as fdatasync promises); when it throws, nothing was accepted.
     */
    default SpooledMessage write(Envelope envelope, byte[] raw) throws IOException {
        Intake intake = append(envelope, raw);
        try {
            intake.durable().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the spool fdatasync");
        }
        return intake.message();
    }

    /**
     * Step 5: waits until the intake's record is on disk and says whether it got there (false: its client
     * heard 451). An intake not held (released, or never spooled) counts as acknowledged: better kept
     * twice than lost.
     */
    boolean acknowledged(String intakeKey) throws InterruptedException;

    /** Step 6: the evidence of these intakes is durable; their records may go. Releasing twice is harmless. */
    void release(Collection<String> intakeKeys) throws IOException;

    /**
     * Step 6: the pipeline cannot handle this message; keep it for staff, out of the replay path. The copy
     * is durable before the record is let go of.
     */
    void quarantine(String intakeKey, String reason) throws IOException;
}
