package org.trapline.web.page;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.trapline.evidence.CaseSummary;

/**
 * A case's hits per day as an SVG bar chart the server draws (no script, no library): one bar per day
 * from the first hit's day to the last's, days without hits left empty, a date axis and a count axis.
 * Past {@link #MAX_BARS} days the bars stand for several days each, so a case of years draws as few
 * elements as one of a year.
 *
 * @param bucketDays days one bar stands for
 * @param max        the largest bar's hits
 */
public record DayChart(int width, int height, int left, int top, int bottom, int bucketDays, long max, List<Bar> bars,
                       List<Tick> dates, List<Tick> counts) {
    public static final int WIDTH = 720;
    public static final int HEIGHT = 220;
    /** Most bars drawn: more would be thinner than a pixel. */
    public static final int MAX_BARS = 400;
    private static final int LEFT = 52;
    private static final int RIGHT = 12;
    private static final int TOP = 10;
    private static final int BOTTOM = 30;
    private static final int DATE_LABELS = 6;
    private static final double WIDEST_BAR = 48;

    /** One bar: where it is drawn and what its tooltip says. */
    public record Bar(double x, double y, double w, double h, String title) {
    }

    /** One axis label: its position along the axis and its text. */
    public record Tick(double at, String label) {
    }

    public DayChart {
        bars = List.copyOf(bars);
        dates = List.copyOf(dates);
        counts = List.copyOf(counts);
    }

    /** The chart of {@code days} (as the evidence store counts them, oldest first, only days with hits). */
    public static DayChart of(List<CaseSummary.Day> days) {
        if (days.isEmpty()) {
            return new DayChart(WIDTH, HEIGHT, LEFT, TOP, HEIGHT - BOTTOM, 1, 0, List.of(), List.of(), List.of());
        }
        LocalDate first = days.get(0).day();
        LocalDate last = days.get(days.size() - 1).day();
        long span = ChronoUnit.DAYS.between(first, last) + 1;
        int bucket = (int) Math.max(1, (span + MAX_BARS - 1) / MAX_BARS);
        int slots = (int) ((span + bucket - 1) / bucket);
        long[] hits = new long[slots];
        for (CaseSummary.Day d : days) {
            hits[(int) (ChronoUnit.DAYS.between(first, d.day()) / bucket)] += d.hits();
        }
        long max = 0;
        for (long h : hits) {
            max = Math.max(max, h);
        }
        long top = niceCeiling(max);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double slot = plotW / slots;
        double w = Math.min(WIDEST_BAR, slot > 3 ? slot - 1 : slot);
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            if (hits[i] == 0) {
                continue;
            }
            double h = plotH * hits[i] / top;
            LocalDate from = first.plusDays((long) i * bucket);
            String when = bucket == 1 ? from.toString() : from + " to " + min(from.plusDays(bucket - 1), last);
            bars.add(new Bar(round(LEFT + i * slot + (slot - w) / 2), round(TOP + plotH - h), round(w), round(h),
                    when + ": " + hits[i] + (hits[i] == 1 ? " hit" : " hits")));
        }
        List<Tick> dates = new ArrayList<>();
        int step = Math.max(1, (slots + DATE_LABELS - 1) / DATE_LABELS);
        for (int i = 0; i < slots; i += step) {
            dates.add(new Tick(round(LEFT + i * slot + slot / 2), first.plusDays((long) i * bucket).toString()));
        }
        List<Tick> counts = new ArrayList<>();
        for (long c : top % 2 == 0 ? new long[] {0, top / 2, top} : new long[] {0, top}) {
            counts.add(new Tick(round(TOP + plotH - plotH * c / top), Long.toString(c)));
        }
        return new DayChart(WIDTH, HEIGHT, LEFT, TOP, HEIGHT - BOTTOM, bucket, max, bars, dates, counts);
    }

    /** The right end of the plot, where the count axis's grid lines end. */
    public int right() {
        return width - RIGHT;
    }

    /** The smallest 1, 2 or 5 times a power of ten that is at least {@code n} (at least 1). */
    static long niceCeiling(long n) {
        long p = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (m * p >= n) {
                    return m * p;
                }
            }
            p *= 10;
        }
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
