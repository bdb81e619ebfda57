package org.trapline.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trapline.common.sql.Dialect;
import org.trapline.common.sql.Statements;

class PolicyStatementsTest {

    static List<String> names(Dialect d) {
        List<String> names = new ArrayList<>();
        Statements.load(PolicyStatementsTest.class, PolicyDatabase.STORE, d).names().forEach(names::add);
        return names;
    }

    @Test
    void everyDialectNamesTheStatementsTheRepositoriesRun() {
        List<String> h2 = names(Dialect.H2);
        assertThat(h2).contains("strikes.lock", "strikes.add", "brake.lock", "actions.journal", "unattributed.record");
        for (Dialect d : Dialect.values()) assertThat(names(d)).as(d + " against H2").containsExactlyInAnyOrderElementsOf(h2);
    }
}
