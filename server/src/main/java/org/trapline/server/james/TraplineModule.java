package org.trapline.server.james;

import java.time.Clock;

import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.trapline.attribution.lookup.AttributionLookup;
import org.trapline.evidence.EvidenceStore;
import org.trapline.enforcement.Enforcer;
import org.trapline.mailets.spool.HitIdSource;
import org.trapline.mailets.spool.Spool;
import org.trapline.mailets.spool.SpoolReleaser;
import org.trapline.mailets.trap.TrapDomains;
import org.trapline.origin.OriginTracer;
import org.trapline.server.ServerStatus;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * Trapline's additions to James's injector: the objects our hooks and mailets are built with, and our
 * services that start and stop with James.
 */
public class TraplineModule extends AbstractModule {
    private final TrapDomains trapDomains;
    private final Spool spool;
    private final SpoolReleaser releaser;
    private final Clock clock;
    private final OriginTracer originTracer;
    private final AttributionLookup attributionLookup;
    private final EvidenceStore evidenceStore;
    private final AccountingService accounting;
    private final Enforcer enforcer;
    private final PeriodicTasks housekeeping;
    private final ServerStatus status;

    public TraplineModule(TrapDomains trapDomains, Spool spool, SpoolReleaser releaser, Clock clock, OriginTracer originTracer,
                          AttributionLookup attributionLookup, EvidenceStore evidenceStore, AccountingService accounting,
                          Enforcer enforcer, PeriodicTasks housekeeping, ServerStatus status) {
        this.trapDomains = trapDomains;
        this.spool = spool;
        this.releaser = releaser;
        this.clock = clock;
        this.originTracer = originTracer;
        this.attributionLookup = attributionLookup;
        this.evidenceStore = evidenceStore;
        this.accounting = accounting;
        this.enforcer = enforcer;
        this.housekeeping = housekeeping;
        this.status = status;
    }

    @Override
    protected void configure() {
        bind(TrapDomains.class).toInstance(trapDomains);
        bind(Spool.class).toInstance(spool);
        bind(SpoolReleaser.class).toInstance(releaser);
        bind(Clock.class).toInstance(clock);
        bind(OriginTracer.class).toInstance(originTracer);
        bind(AttributionLookup.class).toInstance(attributionLookup);
        bind(EvidenceStore.class).toInstance(evidenceStore);
        bind(AccountingService.class).toInstance(accounting);
        bind(Enforcer.class).toInstance(enforcer);
        bind(PeriodicTasks.class).toInstance(housekeeping);
        bind(ServerStatus.class).toInstance(status);
        bind(HitIdSource.class).toInstance(evidenceStore::reserveHitId);
        bind(SpoolReplay.class).in(Scopes.SINGLETON);
        bind(ClientEventLog.class).in(Scopes.SINGLETON);
    }

    @ProvidesIntoSet
    InitializationOperation startAccounting(AccountingService service) {
        return InitilizationOperationBuilder.forClass(AccountingService.class).init(service::start);
    }

    @ProvidesIntoSet
    InitializationOperation startHousekeeping(PeriodicTasks tasks, Enforcer enforcer) {
        return InitilizationOperationBuilder.forClass(PeriodicTasks.class).init(() -> {
            // Actions a crash left half done go out before new hits can add to them.
            enforcer.resumeQueued();
            tasks.start();
        });
    }

    @ProvidesIntoSet
    InitializationOperation replaySpool(SpoolReplay replay) {
        return InitilizationOperationBuilder.forClass(SpoolReplay.class).init(replay::replay);
    }
}
