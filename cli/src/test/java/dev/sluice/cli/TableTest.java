package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellAndNumbersAlignRight() {
        String table = new Table("NAME", "STATE", "DONE>", "LAST")
                .row("paced-count", "RUNNING", 42L, "12:03:04.000")
                .row("wc", "STOPPED", 1234567L, null)
                .render();
        assertEquals(""
                + "NAME         STATE       DONE  LAST\n"
                + "paced-count  RUNNING       42  12:03:04.000\n"
                + "wc           STOPPED  1234567  -\n", table);
    }

    @Test
    void aWideHeaderSetsTheWidthAndNoLineEndsInSpaces() {
        String table = new Table("A", "SCHEDULING DELAY", "B").row("x", "3 ms", "").render();
        assertEquals("A  SCHEDULING DELAY  B\nx  3 ms\n", table);
        table.lines().forEach(l -> assertEquals(l.stripTrailing(), l));
    }

    @Test
    void longCellsAreCut() {
        String longValue = "x".repeat(100);
        String table = new Table("V").row(longValue).render();
        String row = table.lines().toList().get(1);
        assertEquals(Table.MAX_CELL, row.length());
        assertTrue(row.endsWith("..."), row);
    }

    @Test
    void anEmptyTableIsItsHeader() {
        Table table = new Table("ID", "POOL");
        assertTrue(table.isEmpty());
        assertEquals("ID  POOL\n", table.render());
    }

    @Test
    void rowsMustFitTheColumns() {
        assertThrows(IllegalArgumentException.class, () -> new Table("A", "B").row("only one"));
    }

    @Test
    void fieldsLineUpTheirValues() {
        assertEquals(""
                + "state             RUNNING\n"
                + "scheduling delay  3 ms\n"
                + "error             -\n", Table.fields("state", "RUNNING", "scheduling delay", "3 ms", "error", null));
    }
}
