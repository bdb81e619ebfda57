package org.trapline.web.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trapline.evidence.CaseSummary;

/** The case's chart stays readable and small from one day to years of hits. */
class DayChartTest {
    static final LocalDate D0 = LocalDate.parse("2026-01-01");

    static List<CaseSummary.Day> daily(int days, long hitsEach) {
        List<CaseSummary.Day> out = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            out.add(new CaseSummary.Day(D0.plusDays(i), hitsEach));
        }
        return out;
    }

    @Test
    void oneDayIsOneBarOfModestWidthUnderItsDate() {
        DayChart c = DayChart.of(List.of(new CaseSummary.Day(D0, 3)));
        assertThat(c.bars()).singleElement().satisfies(b -> {
            assertThat(b.w()).isLessThanOrEqualTo(48);
            assertThat(b.h()).isPositive();
            assertThat(b.title()).isEqualTo("2026-01-01: 3 hits");
        });
        assertThat(c.dates()).extracting(DayChart.Tick::label).containsExactly("2026-01-01");
        assertThat(c.counts()).extracting(DayChart.Tick::label).containsExactly("0", "5");
        assertThat(c.max()).isEqualTo(3);
    }

    @Test
    void aYearIsABarADayWithAFewDateLabelsAndDaysWithoutHitsLeftEmpty() {
        List<CaseSummary.Day> days = daily(365, 27);
        days.remove(100);
        DayChart c = DayChart.of(days);
        assertThat(c.bucketDays()).isEqualTo(1);
        assertThat(c.bars()).hasSize(364).allSatisfy(b -> {
            assertThat(b.x()).isBetween((double) c.left(), (double) c.right());
            assertThat(b.y() + b.h()).isCloseTo(c.bottom(), within(0.2));
        });
        assertThat(c.dates()).hasSizeBetween(2, 7).first().extracting(DayChart.Tick::label).isEqualTo("2026-01-01");
        // The largest bar is 27: the axis tops out at the next round number.
        assertThat(c.counts()).extracting(DayChart.Tick::label).containsExactly("0", "25", "50");
    }

    @Test
    void yearsOfHitsDrawAtMostMaxBarsEachStandingForSeveralDays() {
        DayChart c = DayChart.of(daily(3 * 365, 10));
        assertThat(c.bucketDays()).isEqualTo(3);
        assertThat(c.bars()).hasSizeLessThanOrEqualTo(DayChart.MAX_BARS);
        assertThat(c.max()).isEqualTo(30);
        assertThat(c.bars().get(0).title()).isEqualTo("2026-01-01 to 2026-01-03: 30 hits");
    }

    @Test
    void theCountAxisEndsOnOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(DayChart.niceCeiling(0)).isEqualTo(1);
        assertThat(DayChart.niceCeiling(1)).isEqualTo(1);
        assertThat(DayChart.niceCeiling(3)).isEqualTo(5);
        assertThat(DayChart.niceCeiling(11)).isEqualTo(20);
        assertThat(DayChart.niceCeiling(10_000)).isEqualTo(10_000);
        assertThat(DayChart.niceCeiling(10_001)).isEqualTo(20_000);
    }
}
