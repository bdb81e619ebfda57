package org.trapline.desk.casebook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trapline.common.sql.Dialect;
import org.trapline.common.sql.Statements;

/** Every dialect of the casebook names the statements Casebook runs, so a new dialect cannot miss one. */
class CasebookStatementsTest {

    static List<String> names(Dialect d) {
        List<String> names = new ArrayList<>();
        Statements.load(CasebookStatementsTest.class, Casebook.FILE, d).names().forEach(names::add);
        return names;
    }

    @Test
    void everyDialectNamesTheStatementsTheCasebookRuns() {
        List<String> h2 = names(Dialect.H2);
        assertThat(h2).containsExactlyInAnyOrder("audit.lock_head", "audit.head", "audit.append", "audit.move_head", "audit.after",
                "audit.newest", "notes.add", "notes.of", "status.set", "status.of");
        for (Dialect d : Dialect.values()) assertThat(names(d)).as(d + " against H2").containsExactlyInAnyOrderElementsOf(h2);
    }
}
