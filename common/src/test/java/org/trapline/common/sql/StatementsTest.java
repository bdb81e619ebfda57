package org.trapline.common.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatementsTest {
    @Test
    void namedStatementsComeFromTheStoresResourceOfItsDialect() {
        Statements s = Statements.load(StatementsTest.class, "sample", Dialect.H2);
        assertThat(s.get("sample.find")).isEqualTo("SELECT id, name\n  FROM sample\n WHERE id = :id");
        assertThat(s.get("sample.touch")).isEqualTo("UPDATE sample SET touched = TRUE WHERE id = :id");
        assertThat(s.names()).containsExactly("sample.find", "sample.touch");
        assertThatThrownBy(() -> s.get("sample.drop")).hasMessageContaining("sql/sample/h2.sql has no statement named sample.drop");
        assertThat(Dialect.H2.migrations("policy")).isEqualTo("classpath:db/policy/h2");
    }

    @Test
    void aMissingFileAnEmptyStatementOrATwiceUsedNameIsRefused() {
        assertThatThrownBy(() -> Statements.load(StatementsTest.class, "nothing", Dialect.H2)).hasMessageContaining("no sql/nothing/h2.sql");
        assertThatThrownBy(() -> Statements.parse("x.sql", "-- name: a\n\n-- name: b\nSELECT 1")).hasMessageContaining("a is empty");
        assertThatThrownBy(() -> Statements.parse("x.sql", "-- name: a\nSELECT 1;\n-- name: a\nSELECT 2")).hasMessageContaining("a is named twice");
    }
}
