package org.trapline.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the running server says about itself in {@code bin/trapline status}: where it is in its start
 * (opening stores, replaying the spool) and, once running, how far the replay of what an earlier run
 * left has got. Updated by the server as it goes; read from any thread.
 */
public final class ServerStatus {
    /** The server's stages, in order. */
    public enum State { STARTING, RUNNING, STOPPING }

    /** The spool replay at start: messages left by an earlier run, how many are done, since when. */
    public record Replay(long total, long done, Instant began, Instant finished) {
        public boolean isFinished() {
            return finished != null;
        }
    }

    private final Clock clock;
    private final Instant startedAt;
    private final long pid = ProcessHandle.current().pid();
    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private final AtomicReference<String> step = new AtomicReference<>("locking the data directory");
    private final AtomicReference<Replay> replay = new AtomicReference<>();
    private final Map<String, String> listeners = new LinkedHashMap<>();

    public ServerStatus(Clock clock) {
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** What the start is doing now (shown while STARTING). */
    public void step(String what) {
        step.set(what);
    }

    public synchronized void listening(String what, String where) {
        listeners.put(what, where);
    }

    public void running() {
        state.set(State.RUNNING);
        step.set("serving");
    }

    public void stopping() {
        state.set(State.STOPPING);
        step.set("stopping");
    }

    public State state() {
        return state.get();
    }

    public void replayBegan(long total) {
        Instant now = clock.instant();
        replay.set(new Replay(total, 0, now, total == 0 ? now : null));
    }

    /** Marks {@code done} of the replayed messages as finished; the replay ends when all are. */
    public void replayProgress(long done) {
        replay.updateAndGet(r -> r == null || r.isFinished() ? r
                : new Replay(r.total(), done, r.began(), done >= r.total() ? clock.instant() : null));
    }

    public Replay replay() {
        return replay.get();
    }

    /** The facts as a JSON-ready map, in the order a person reads them. */
    public synchronized Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state.get().name().toLowerCase(java.util.Locale.ROOT));
        if (state.get() != State.RUNNING) {
            m.put("step", step.get());
        }
        m.put("pid", pid);
        m.put("started_at", startedAt.toString());
        m.put("uptime_seconds", Duration.between(startedAt, clock.instant()).toSeconds());
        m.put("listening", new LinkedHashMap<>(listeners));
        Replay r = replay.get();
        if (r != null) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("messages", r.total());
            rm.put("done", r.done());
            rm.put("finished", r.isFinished());
            rm.put("finished_at", r.finished() == null ? null : r.finished().toString());
            m.put("spool_replay", rm);
        }
        return m;
    }
}
